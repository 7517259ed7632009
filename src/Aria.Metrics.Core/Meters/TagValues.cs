using System.Globalization;

namespace Aria.Metrics.Meters;

/// <summary>How a tag's value becomes a label value: as OpenTelemetry's exporter writes it, culture-invariant.</summary>
internal static class TagValues
{
    /// <summary>The label value of a tag value; a missing or null value is the empty value, which Prometheus reads as no label.</summary>
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
