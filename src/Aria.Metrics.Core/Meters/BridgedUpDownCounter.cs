using System.Diagnostics.Metrics;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Meters;

/// <summary>An <c>UpDownCounter&lt;T&gt;</c>: a Prometheus gauge that each measurement moves by its value.</summary>
internal sealed class BridgedUpDownCounter(MeterBridge bridge, Instrument instrument, string metricName)
    : BridgedInstrument<GaugeSeries>(bridge, instrument, metricName)
{
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        GaugeSeries? series = SeriesOf(tags);
        if (value == 1)
        {
            series?.Inc();
        }
        else if (value == -1)
        {
            series?.Dec();
        }
        else
        {
            series?.Inc(value);
        }
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            DropInvalidValue(value);
            return;
        }

        SeriesOf(tags)?.Inc(value);
    }

    internal override MetricFamily<GaugeSeries> NewFamily(string[] labelNames)
    {
        MetricFamily.ValidateDefinition(MetricName, Help);
        return new Gauge(MetricName, Help, LabelNames.Validate(MetricName, labelNames, isHistogram: false));
    }
}
