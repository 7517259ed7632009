using System.Buffers;
using System.Text;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.Labels;

/// <summary>
/// Encodes a series' labels once, at creation, as the UTF-8 text that goes between the sample name and the value:
/// <c>{method="chat",status="200"} </c>, or a single space for a series without labels. Both formats escape label
/// values alike, so one block serves both, and a sample line is the name, this block and the value. The block is
/// measured first and written straight into its final array: creating many series is bound by allocation, so the
/// encoding makes no garbage.
/// </summary>
internal static class LabelBlock
{
    private static readonly SearchValues<char> EscapedCharacters = SearchValues.Create("\\\"\n");

    /// <summary>The label text of a series without labels.</summary>
    public static readonly byte[] None = " "u8.ToArray();

    /// <summary>The label text of a family's overflow series: the overflow label alone.</summary>
    public static readonly byte[] Overflow = "{metrics_overflow=\"true\"} "u8.ToArray();

    /// <summary>The label pairs inside a label text, without the braces and the space.</summary>
    public static ReadOnlySpan<byte> Pairs(ReadOnlySpan<byte> labelText) => labelText.Length > 1 ? labelText[1..^2] : [];

    /// <summary>Validates the values (count, null, well-formed text) and returns the encoded block.</summary>
    public static byte[] Encode(string metric, string[] names, ReadOnlySpan<string> values)
    {
        if (values.Length != names.Length)
        {
            Errors.WrongLabelCount(metric, names, values.Length);
        }

        if (names.Length == 0)
        {
            return None;
        }

        int length = names.Length - 1 + 3;
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

            // Label names are ASCII; each escaped character grows by its backslash.
            length += names[i].Length + 3 + Encoding.UTF8.GetByteCount(value) + CountEscaped(value);
        }

        var block = new byte[length];
        Span<byte> rest = Put(block, (byte)'{');
        for (int i = 0; i < names.Length; i++)
        {
            if (i != 0)
            {
                rest = Put(rest, (byte)',');
            }

            rest = rest[Encoding.ASCII.GetBytes(names[i], rest)..];
            rest = Put(Put(rest, (byte)'='), (byte)'"');
            rest = PutEscaped(rest, values[i]);
            rest = Put(rest, (byte)'"');
        }

        Put(Put(rest, (byte)'}'), (byte)' ');
        return block;
    }

    private static Span<byte> PutEscaped(Span<byte> destination, ReadOnlySpan<char> value)
    {
        while (true)
        {
            int special = value.IndexOfAny(EscapedCharacters);
            ReadOnlySpan<char> run = special < 0 ? value : value[..special];
            destination = destination[Encoding.UTF8.GetBytes(run, destination)..];
            if (special < 0)
            {
                return destination;
            }

            destination = Put(destination, (byte)'\\');
            destination = Put(destination, value[special] == '\n' ? (byte)'n' : (byte)value[special]);
            value = value[(special + 1)..];
        }
    }

    private static int CountEscaped(ReadOnlySpan<char> value)
    {
        int count = 0;
        for (int at = value.IndexOfAny(EscapedCharacters); at >= 0; at = value.IndexOfAny(EscapedCharacters))
        {
            count++;
            value = value[(at + 1)..];
        }

        return count;
    }

    private static Span<byte> Put(Span<byte> destination, byte value)
    {
        destination[0] = value;
        return destination[1..];
    }
}
