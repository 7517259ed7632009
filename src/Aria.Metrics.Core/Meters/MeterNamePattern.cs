namespace Aria.Metrics.Meters;

/// <summary>A meter name to listen to: exact, or a prefix when it ends in <c>*</c> (<c>*</c> alone matches every meter).</summary>
internal readonly struct MeterNamePattern
{
    private readonly string _text;
    private readonly bool _isPrefix;

    private MeterNamePattern(string text, bool isPrefix)
    {
        _text = text;
        _isPrefix = isPrefix;
    }

    /// <summary>Reads a pattern, or throws naming what is wrong with it.</summary>
    public static MeterNamePattern Parse(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            Errors.InvalidMeterPattern(pattern, "it is empty");
        }

        int star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0 && star != pattern.Length - 1)
        {
            Errors.InvalidMeterPattern(pattern, "'*' may only end it, as in Microsoft.AspNetCore.*");
        }

        return star < 0 ? new(pattern, isPrefix: false) : new(pattern[..^1], isPrefix: true);
    }

    public bool Matches(string meterName) =>
        _isPrefix ? meterName.StartsWith(_text, StringComparison.Ordinal) : string.Equals(meterName, _text, StringComparison.Ordinal);
}
