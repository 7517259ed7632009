using Aria.Metrics.Exposition;
using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>
/// An info family: one series of label values with the value 1, describing the target (for instance its build).
/// OpenMetrics writes it as an <c>info</c> family; text 0.0.4 as a gauge named <c>&lt;name&gt;_info</c>.
/// </summary>
public sealed class Info : MetricFamily
{
    private volatile Current? _current;

    internal Info(string name, string help, string[] labelNames)
        : base(MetricType.Info, name, help, labelNames, "_info")
    {
        if (labelNames.Length == 0)
        {
            _current = new Current([], LabelBlock.None);
        }
    }

    /// <inheritdoc />
    public override int SeriesCount => _current is null ? 0 : 1;

    /// <summary>The label values last set, empty until then.</summary>
    public IReadOnlyList<string> Values => _current?.Values ?? [];

    /// <summary>Sets the label values of the info series, replacing any set before.</summary>
    /// <exception cref="ArgumentException">The count of values differs from the label names, or a value is null.</exception>
    public void Set(params ReadOnlySpan<string> labelValues)
    {
        byte[] labelText = LabelBlock.Encode(Name, LabelNameArray, labelValues);
        _current = new Current(labelValues.ToArray(), labelText);
    }

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer)
    {
        Current? current = _current;
        encoder.WriteInfo(ref writer, this, current?.Values, current?.LabelText);
    }

    /// <summary>The label values and their encoded text, replaced together.</summary>
    private sealed record Current(string[] Values, byte[] LabelText);
}
