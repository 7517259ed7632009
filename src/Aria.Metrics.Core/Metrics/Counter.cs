using System.Runtime.CompilerServices;
using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// A counter family. Its samples are named <c>&lt;name&gt;_total</c> in both formats; the OpenMetrics family
/// name drops the suffix. Without labels, the family's own methods update its single series.
/// </summary>
public sealed class Counter : MetricFamily<CounterSeries>
{
    internal Counter(string name, string help, string[] labelNames)
        : base(MetricType.Counter, name, help, labelNames, "_total")
    {
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

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer) => encoder.WriteCounters(ref writer, this, AllSeries);

    /// <inheritdoc />
    private protected override CounterSeries NewSeries(string[] key, byte[] labelText) => new(Name, key, labelText);
}
