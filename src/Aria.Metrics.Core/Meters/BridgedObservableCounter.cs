using System.Diagnostics.Metrics;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Meters;

/// <summary>
/// An <c>ObservableCounter&lt;T&gt;</c>: its callback reports running totals, so the series is set to each at scrape
/// time (an <see cref="ObservedCounter"/>, exposed as a counter with <c>_total</c>); a lower reading is ignored.
/// </summary>
internal sealed class BridgedObservableCounter(MeterBridge bridge, Instrument instrument, string metricName)
    : BridgedInstrument<ObservedCounterSeries>(bridge, instrument, metricName)
{
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!(value >= 0) || double.IsPositiveInfinity(value))
        {
            DropInvalidValue(value);
            return;
        }

        SeriesOf(tags)?.Set(value);
    }

    internal override MetricFamily<ObservedCounterSeries> NewFamily(string[] labelNames)
    {
        MetricFamily.ValidateDefinition(MetricName, Help);
        return new ObservedCounter(MetricName, Help, LabelNames.Validate(MetricName, labelNames, isHistogram: false));
    }
}
