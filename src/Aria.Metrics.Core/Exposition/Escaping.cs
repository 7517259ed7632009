using System.Text;

namespace Aria.Metrics.Exposition;

/// <summary>The escaping rules of the two formats, applied once when names, help texts and label sets are encoded.</summary>
internal static class Escaping
{
    /// <summary>Strict UTF-8: a lone surrogate cannot be exposed faithfully, so it is refused rather than replaced.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// HELP text: both formats escape backslash and line feed; only OpenMetrics escapes the double quote
    /// (promtool rejects <c>\"</c> in a text-format HELP line).
    /// </summary>
    public static string EscapeHelp(string help, ExpositionFormat format)
    {
        var builder = new StringBuilder(help.Length + 8);
        foreach (char c in help)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '"' when format == ExpositionFormat.OpenMetrics: builder.Append("\\\""); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>True when <paramref name="value"/> is well-formed UTF-16 (no lone surrogate).</summary>
    public static bool IsWellFormed(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
