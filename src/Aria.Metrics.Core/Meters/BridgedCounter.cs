using System.Diagnostics.Metrics;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Meters;

/// <summary>A <c>Counter&lt;T&gt;</c>: a Prometheus counter, <c>_total</c>, incremented by each measurement.</summary>
internal sealed class BridgedCounter(MeterBridge bridge, Instrument instrument, string metricName)
    : BridgedInstrument<CounterSeries>(bridge, instrument, metricName)
{
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (value < 0)
        {
            DropInvalidValue(value);
            return;
        }

        SeriesOf(tags)?.Inc(value);
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The comparison is false for NaN as well as for negatives.
        if (!(value >= 0) || double.IsPositiveInfinity(value))
        {
            DropInvalidValue(value);
            return;
        }

        SeriesOf(tags)?.Inc(value);
    }

    internal override MetricFamily<CounterSeries> NewFamily(string[] labelNames)
    {
        MetricFamily.ValidateDefinition(MetricName, Help);
        return new Counter(MetricName, Help, LabelNames.Validate(MetricName, labelNames, isHistogram: false));
    }
}
