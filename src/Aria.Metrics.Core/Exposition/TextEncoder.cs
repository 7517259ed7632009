using Aria.Metrics.Labels;

namespace Aria.Metrics.Exposition;

/// <summary>
/// Prometheus text 0.0.4 and OpenMetrics 1.0.0: one encoder for both, since they share the sample line and differ in a
/// few rules (family naming in the header, canonical <c>le</c> values, what may sit beside negative buckets, the
/// closing <c># EOF</c>). Every line is pre-encoded bytes around one number.
/// </summary>
internal sealed class TextEncoder : FormatEncoder
{
    /// <summary>Prometheus text format 0.0.4.</summary>
    public static readonly TextEncoder PrometheusText = new(openMetrics: false);

    /// <summary>OpenMetrics 1.0.0 text.</summary>
    public static readonly TextEncoder OpenMetrics = new(openMetrics: true);

    private readonly bool _openMetrics;

    private TextEncoder(bool openMetrics) => _openMetrics = openMetrics;

    public override void WriteCounters(ref ExpositionWriter writer, MetricFamily family, ReadOnlySpan<CounterSeries> series)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        foreach (CounterSeries counter in series)
        {
            // Exactly an integer while no fraction was ever added.
            (long whole, double fraction) = counter.Read();
            if (fraction == 0)
            {
                writer.WriteSample(name, counter.LabelText, whole);
            }
            else
            {
                writer.WriteSample(name, counter.LabelText, whole + fraction);
            }
        }
    }

    public override void WriteObservedCounters(ref ExpositionWriter writer, MetricFamily family, ReadOnlySpan<ObservedCounterSeries> series)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        foreach (ObservedCounterSeries counter in series)
        {
            writer.WriteSample(name, counter.LabelText, counter.Value);
        }
    }

    public override void WriteGauges(ref ExpositionWriter writer, MetricFamily family, ReadOnlySpan<GaugeSeries> series)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        foreach (GaugeSeries gauge in series)
        {
            writer.WriteSample(name, gauge.LabelText, gauge.Value);
        }
    }

    public override void WriteHistograms(ref ExpositionWriter writer, Histogram family, ReadOnlySpan<HistogramSeries> series)
    {
        TextFamilyBytes text = Begin(ref writer, family);
        byte[][] tails = _openMetrics ? text.OpenMetricsBucketTails : text.TextBucketTails;
        bool hasNegativeBounds = family.UpperBounds[0] < 0;
        foreach (HistogramSeries histogram in series)
        {
            ReadOnlySpan<byte> pairs = LabelBlock.Pairs(histogram.LabelText);
            long cumulative = 0;
            for (int bucket = 0; bucket < tails.Length; bucket++)
            {
                cumulative += histogram.ReadBucket(bucket);
                writer.WriteBucket(text.BucketNameAndBrace, pairs, tails[bucket], cumulative);
            }

            double sum = histogram.Sum;
            if (_openMetrics && (hasNegativeBounds || !(sum >= 0)))
            {
                // OpenMetrics forbids a _sum beside negative buckets and a negative or NaN _sum (it is counter-like; a NaN
                // comes from overflowing observations), and wants _count only beside _sum; the +Inf bucket still carries the count.
                continue;
            }

            writer.WriteSample(text.SumName, histogram.LabelText, sum);

            // The count is the +Inf bucket as read above, never a second read that could disagree with it.
            writer.WriteSample(text.CountName, histogram.LabelText, cumulative);
        }
    }

    public override void WriteInfo(ref ExpositionWriter writer, Info family, ReadOnlySpan<string> values, byte[]? labelText)
    {
        byte[] name = Begin(ref writer, family).SampleName;
        if (labelText is not null)
        {
            writer.WriteSample(name, labelText, 1L);
        }
    }

    public override void End(ref ExpositionWriter writer)
    {
        if (_openMetrics)
        {
            writer.Write("# EOF\n"u8);
        }
    }

    /// <summary>Writes the family's HELP and TYPE lines and returns its pre-encoded bytes.</summary>
    private TextFamilyBytes Begin(ref ExpositionWriter writer, MetricFamily family)
    {
        TextFamilyBytes text = TextFamilyBytes.Of(family);
        writer.Write(_openMetrics ? text.OpenMetricsHeader : text.TextHeader);
        return text;
    }
}
