using System.Diagnostics.Metrics;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Meters;

/// <summary>
/// A <c>Gauge&lt;T&gt;</c>, <c>ObservableGauge&lt;T&gt;</c> or <c>ObservableUpDownCounter&lt;T&gt;</c>: a Prometheus gauge
/// set to each measurement (the observable ones at every scrape).
/// </summary>
internal sealed class BridgedGauge(MeterBridge bridge, Instrument instrument, string metricName)
    : BridgedInstrument<GaugeSeries>(bridge, instrument, metricName)
{
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => SeriesOf(tags)?.Set(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => SeriesOf(tags)?.Set(value);

    internal override MetricFamily<GaugeSeries> NewFamily(string[] labelNames)
    {
        MetricFamily.ValidateDefinition(MetricName, Help);
        return new Gauge(MetricName, Help, LabelNames.Validate(MetricName, labelNames, isHistogram: false));
    }
}
