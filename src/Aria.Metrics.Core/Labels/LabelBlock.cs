using System.Text;
using Aria.Metrics.Exposition;
using Aria.Metrics.Validation;

namespace Aria.Metrics.Labels;

/// <summary>
/// Encodes a series' labels once, at creation, as the UTF-8 text that goes between the braces:
/// <c>method="chat",status="200"</c>. Both formats escape label values alike, so one block serves both.
/// </summary>
internal static class LabelBlock
{
    /// <summary>Validates the values (count, null, well-formed text) and returns the encoded block.</summary>
    public static byte[] Encode(string metric, string[] names, ReadOnlySpan<string> values)
    {
        if (values.Length != names.Length)
        {
            Errors.WrongLabelCount(metric, names, values.Length);
        }

        if (names.Length == 0)
        {
            return [];
        }

        var builder = new StringBuilder();
        for (int i = 0; i < names.Length; i++)
        {
            string value = values[i];
            if (value is null)
            {
                Errors.NullLabelValue(metric, names[i]);
            }

            if (!Escaping.IsWellFormed(value))
            {
                Errors.MalformedLabelValue(metric, names[i]);
            }

            if (i != 0)
            {
                builder.Append(',');
            }

            builder.Append(names[i]).Append("=\"");
            Escaping.AppendLabelValue(builder, value);
            builder.Append('"');
        }

        return Escaping.StrictUtf8.GetBytes(builder.ToString());
    }
}
