using System.Runtime.CompilerServices;
using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// A counter family. Its samples are named <c>&lt;name&gt;_total</c> in both formats; the OpenMetrics family
/// name drops the suffix. Without labels, the family's own methods update its single series.
/// </summary>
public sealed class Counter : MetricFamily<CounterSeries>
{
    private readonly bool _exemplarsFromActivity;

    internal Counter(string name, string help, string[] labelNames, CounterOptions? options = null)
        : base(MetricType.Counter, name, help, labelNames, "_total")
    {
        _exemplarsFromActivity = options?.ExemplarsFromActivity ?? false;
        CreateUnlabeledSeries();
    }

    /// <summary>The value of the unlabeled series.</summary>
    public double Value => Unlabeled.Value;

    /// <summary>Adds one to the unlabeled series.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc() => Unlabeled.Inc();

    /// <summary>Adds <paramref name="amount"/> (finite, not negative) to the unlabeled series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative, NaN or infinite.</exception>
    public void Inc(double amount) => Unlabeled.Inc(amount);

    /// <summary>Adds a whole number of events (not negative) to the unlabeled series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public void Inc(long count) => Unlabeled.Inc(count);

    /// <summary>Adds one to the unlabeled series, with <paramref name="exemplar"/> as its latest exemplar.</summary>
    /// <exception cref="ArgumentException">The exemplar's labels are invalid or longer than 128 characters.</exception>
    public void Inc(Exemplar exemplar) => Unlabeled.Inc(exemplar);

    /// <summary>Adds <paramref name="amount"/> (finite, not negative) to the unlabeled series, with <paramref name="exemplar"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The exemplar's labels are invalid or longer than 128 characters.</exception>
    public void Inc(double amount, Exemplar exemplar) => Unlabeled.Inc(amount, exemplar);

    internal override string? DescribeDifference(MetricFamily other) =>
        base.DescribeDifference(other)
        ?? (other is Counter counter && counter._exemplarsFromActivity != _exemplarsFromActivity
            ? $"it {(_exemplarsFromActivity ? "takes" : "does not take")} exemplars from the current activity"
            : null);

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer) => encoder.WriteCounters(ref writer, this, SeriesFor(encoder));

    /// <inheritdoc />
    private protected override CounterSeries NewSeries(string[] key, byte[] labelText) => new(Name, key, labelText, _exemplarsFromActivity);

    /// <summary>Both parts of a counter only grow, so their sum changes with every increment that changes the value.</summary>
    private protected override long Fingerprint(CounterSeries series)
    {
        (long whole, double fraction) = series.Read();
        return unchecked(whole + BitConverter.DoubleToInt64Bits(fraction));
    }
}
