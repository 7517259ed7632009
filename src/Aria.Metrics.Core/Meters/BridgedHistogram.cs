using System.Diagnostics.Metrics;
using Aria.Metrics.Labels;

namespace Aria.Metrics.Meters;

/// <summary>
/// A <c>Histogram&lt;T&gt;</c>: a Prometheus histogram with the bucket boundaries the instrument advises
/// (<see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>, as ASP.NET Core and HttpClient give theirs), else the
/// defaults for its unit.
/// </summary>
internal sealed class BridgedHistogram(MeterBridge bridge, Instrument instrument, string metricName, double[] buckets)
    : BridgedInstrument<HistogramSeries>(bridge, instrument, metricName)
{
    /// <summary>OpenTelemetry's default boundaries, for a histogram in any unit but seconds and without advice.</summary>
    internal static readonly double[] OpenTelemetryDefaults = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => SeriesOf(tags)?.Observe(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value))
        {
            DropInvalidValue(value);
            return;
        }

        SeriesOf(tags)?.Observe(value);
    }

    /// <summary>The advised boundaries when they are usable (ascending, finite), else the defaults for the unit.</summary>
    internal static double[] BucketsOf(Instrument instrument)
    {
        double[]? advised = instrument switch
        {
            Histogram<byte> h => Convert(h.Advice?.HistogramBucketBoundaries),
            Histogram<short> h => Convert(h.Advice?.HistogramBucketBoundaries),
            Histogram<int> h => Convert(h.Advice?.HistogramBucketBoundaries),
            Histogram<long> h => Convert(h.Advice?.HistogramBucketBoundaries),
            Histogram<float> h => Convert(h.Advice?.HistogramBucketBoundaries),
            Histogram<double> h => Convert(h.Advice?.HistogramBucketBoundaries),
            Histogram<decimal> h => Convert(h.Advice?.HistogramBucketBoundaries),
            _ => null,
        };

        if (advised is { Length: > 0 } && IsUsable(advised))
        {
            return advised;
        }

        return instrument.Unit == "s" ? Buckets.Default.ToArray() : OpenTelemetryDefaults;
    }

    internal override MetricFamily<HistogramSeries> NewFamily(string[] labelNames)
    {
        MetricFamily.ValidateDefinition(MetricName, Help);
        string[] names = LabelNames.Validate(MetricName, labelNames, isHistogram: true);
        return new Histogram(MetricName, Help, names, Buckets.Validate(MetricName, buckets));
    }

    private static double[]? Convert<T>(IReadOnlyList<T>? bounds)
        where T : struct
    {
        if (bounds is null)
        {
            return null;
        }

        double[] converted = new double[bounds.Count];
        for (int i = 0; i < converted.Length; i++)
        {
            converted[i] = System.Convert.ToDouble(bounds[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return converted;
    }

    private static bool IsUsable(double[] bounds)
    {
        for (int i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                return false;
            }
        }

        return true;
    }
}
