using System.Runtime.CompilerServices;
using Aria.Metrics.Exposition;
using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>
/// A histogram family with fixed bucket bounds. Without labels, the family's own methods update its single series.
/// </summary>
public sealed class Histogram : MetricFamily<HistogramSeries>
{
    private readonly double[] _upperBounds;
    private readonly double[] _searchBounds;
    private readonly byte[] _bucketNameAndBrace;
    private readonly byte[] _sumName;
    private readonly byte[] _countName;
    private readonly bool _hasNegativeBounds;

    // Each is the tail of a bucket line from the le label on: `le="0.25"} `, one per bound and +Inf, per format.
    private readonly byte[][] _textBucketTails;
    private readonly byte[][] _openMetricsBucketTails;

    internal Histogram(string name, string help, string[] labelNames, double[] upperBounds)
        : base(MetricType.Histogram, name, help, labelNames, string.Empty)
    {
        _upperBounds = upperBounds;
        _searchBounds = HistogramSeries.SearchBounds(upperBounds);
        _hasNegativeBounds = upperBounds[0] < 0;
        _bucketNameAndBrace = Utf8(name + "_bucket{");
        _sumName = Utf8(name + "_sum");
        _countName = Utf8(name + "_count");
        _textBucketTails = BucketTails(upperBounds, NumberFormatter.FormatGo);
        _openMetricsBucketTails = BucketTails(upperBounds, NumberFormatter.FormatOpenMetricsCanonical);
        CreateUnlabeledSeries();
    }

    /// <summary>The finite upper bounds of the buckets; <c>+Inf</c> follows them implicitly.</summary>
    public ReadOnlySpan<double> UpperBounds => _upperBounds;

    internal override IEnumerable<string> ExposedNames => [Name + "_bucket", Name + "_sum", Name + "_count", Name + "_created"];

    /// <summary>Records one observation (finite) in the unlabeled series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(double value) => Unlabeled.Observe(value);

    /// <summary>Records <paramref name="count"/> observations of <paramref name="value"/> in the unlabeled series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite, or the count is negative.</exception>
    public void Observe(double value, long count) => Unlabeled.Observe(value, count);

    /// <summary>Starts a timer on the unlabeled series; disposing it observes the elapsed seconds.</summary>
    public HistogramTimer StartTimer() => Unlabeled.StartTimer();

    internal override string? DescribeDifference(MetricFamily other) =>
        base.DescribeDifference(other)
        ?? (other is Histogram histogram && !_upperBounds.AsSpan().SequenceEqual(histogram._upperBounds)
            ? $"its buckets are [{string.Join(", ", _upperBounds)}], not [{string.Join(", ", histogram._upperBounds)}]"
            : null);

    /// <inheritdoc />
    private protected override HistogramSeries NewSeries(string[] key, byte[] labelText) =>
        new(Name, key, labelText, _searchBounds, _upperBounds.Length);

    internal override void WriteSamples(ref ExpositionWriter writer, ExpositionFormat format)
    {
        byte[][] tails = format == ExpositionFormat.OpenMetrics ? _openMetricsBucketTails : _textBucketTails;
        foreach (HistogramSeries series in AllSeries)
        {
            ReadOnlySpan<byte> pairs = LabelBlock.Pairs(series.LabelText);
            long cumulative = 0;
            for (int bucket = 0; bucket < tails.Length; bucket++)
            {
                cumulative = Saturation.AddCount(cumulative, series.ReadBucket(bucket));
                writer.WriteBucket(_bucketNameAndBrace, pairs, tails[bucket], cumulative);
            }

            double sum = series.Sum;
            if (format == ExpositionFormat.OpenMetrics && (_hasNegativeBounds || !(sum >= 0)))
            {
                // OpenMetrics forbids a _sum beside negative buckets and a negative or NaN _sum (it is counter-like; a NaN
                // comes from overflowing observations), and wants _count only beside _sum; the +Inf bucket still carries the count.
                continue;
            }

            writer.WriteSample(_sumName, series.LabelText, sum);

            // The count is the +Inf bucket as read above, never a second read that could disagree with it.
            writer.WriteSample(_countName, series.LabelText, cumulative);
        }
    }

    /// <summary>The count changes with every observation; the sum's bits catch one whose count saturated.</summary>
    private protected override long Fingerprint(HistogramSeries series)
    {
        long count = 0;
        for (int bucket = 0; bucket <= _upperBounds.Length; bucket++)
        {
            count = unchecked(count + series.ReadBucket(bucket));
        }

        return unchecked((count * -7046029254386353131) + BitConverter.DoubleToInt64Bits(series.Sum));
    }

    private static byte[][] BucketTails(double[] upperBounds, Func<double, string> format)
    {
        var tails = new byte[upperBounds.Length + 1][];
        for (int i = 0; i < upperBounds.Length; i++)
        {
            tails[i] = Utf8($"le=\"{format(upperBounds[i])}\"}} ");
        }

        tails[^1] = "le=\"+Inf\"} "u8.ToArray();
        return tails;
    }
}
