using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;
using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// A histogram family with fixed bucket bounds. Without labels, the family's own methods update its single series.
/// </summary>
public sealed class Histogram : MetricFamily<HistogramSeries>
{
    private readonly double[] _upperBounds;
    private readonly double[] _searchBounds;
    private readonly bool _exemplarsFromActivity;

    internal Histogram(string name, string help, string[] labelNames, double[] upperBounds, HistogramOptions? options = null, NativeHistogramSettings? native = null)
        : base(MetricType.Histogram, name, help, labelNames, string.Empty)
    {
        _upperBounds = upperBounds;
        _searchBounds = HistogramSeries.SearchBounds(upperBounds);
        _exemplarsFromActivity = options?.ExemplarsFromActivity ?? false;
        Native = native;
        CreateUnlabeledSeries();
    }

    /// <summary>The native bucket settings, or null when the family has classic buckets only.</summary>
    internal NativeHistogramSettings? Native { get; }

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

    /// <summary>Records one observation (finite) in the unlabeled series, with <paramref name="exemplar"/> for its bucket.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The exemplar's labels are invalid or longer than 128 characters.</exception>
    public void Observe(double value, Exemplar exemplar) => Unlabeled.Observe(value, exemplar);

    /// <summary>Starts a timer on the unlabeled series; disposing it observes the elapsed seconds.</summary>
    public HistogramTimer StartTimer() => Unlabeled.StartTimer();

    internal override string? DescribeDifference(MetricFamily other) =>
        base.DescribeDifference(other)
        ?? (other is Histogram histogram && !_upperBounds.AsSpan().SequenceEqual(histogram._upperBounds)
            ? $"its buckets are [{string.Join(", ", _upperBounds)}], not [{string.Join(", ", histogram._upperBounds)}]"
            : other is Histogram { _exemplarsFromActivity: var fromActivity } && fromActivity != _exemplarsFromActivity
                ? $"it {(_exemplarsFromActivity ? "takes" : "does not take")} exemplars from the current activity"
                : other is Histogram histogramWithNative && histogramWithNative.Native != Native
                    ? $"its native buckets are {Native?.ToString() ?? "off"}, not {histogramWithNative.Native?.ToString() ?? "off"}"
                    : null);

    /// <inheritdoc />
    private protected override HistogramSeries NewSeries(string[] key, byte[] labelText) =>
        new(Name, key, labelText, _searchBounds, _upperBounds.Length, _exemplarsFromActivity, Native);

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer) => encoder.WriteHistograms(ref writer, this, SeriesFor(encoder));

    /// <summary>
    /// The count changes with every observation; the sum's bits catch one whose count saturated. A series with native
    /// buckets reads its classic counts over both halves, without the lock a full reading takes.
    /// </summary>
    private protected override long Fingerprint(HistogramSeries series)
    {
        long count = 0;
        for (int bucket = 0; bucket <= _upperBounds.Length; bucket++)
        {
            count = unchecked(count + series.ReadBucket(bucket));
        }

        return unchecked((count * -7046029254386353131) + BitConverter.DoubleToInt64Bits(series.Sum));
    }
}
