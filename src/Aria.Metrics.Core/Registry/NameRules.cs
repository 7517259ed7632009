using System.Buffers;

namespace Aria.Metrics;

/// <summary>The naming rules of the Prometheus data model, checked once at registration.</summary>
internal static class NameRules
{
    private static readonly SearchValues<char> LabelNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <summary>Metric names: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsValidMetricName(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0], allowColon: true))
        {
            return false;
        }

        foreach (char c in name.AsSpan(1))
        {
            if (!IsNamePart(c, allowColon: true))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Label names: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>. Vectorized, as exemplars check theirs on every recording.</summary>
    public static bool IsValidLabelName(string name) =>
        name.Length != 0 && !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(LabelNameCharacters);

    /// <summary>Names that start with <c>__</c> belong to Prometheus itself.</summary>
    public static bool IsReserved(string name) => name.StartsWith("__", StringComparison.Ordinal);

    private static bool IsNameStart(char c, bool allowColon) =>
        char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':');

    private static bool IsNamePart(char c, bool allowColon) =>
        char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
}
