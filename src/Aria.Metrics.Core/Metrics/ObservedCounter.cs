using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// A counter family whose values are read from a source that already counts (the kernel's CPU time, the runtime's
/// collection count) and are set at scrape time, typically from a collect callback. It is exposed exactly like a
/// <see cref="Counter"/>: <c>&lt;name&gt;_total</c> samples under <c># TYPE counter</c>. Without labels, the family's own
/// members reach its single series.
/// </summary>
public sealed class ObservedCounter : MetricFamily<ObservedCounterSeries>
{
    internal ObservedCounter(string name, string help, string[] labelNames)
        : base(MetricType.Counter, name, help, labelNames, "_total")
    {
        CreateUnlabeledSeries();
    }

    /// <summary>The value of the unlabeled series.</summary>
    public double Value => Unlabeled.Value;

    /// <summary>Sets the unlabeled series to the source's current reading; a lower reading is ignored.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public void Set(double value) => Unlabeled.Set(value);

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer) => encoder.WriteObservedCounters(ref writer, this, SeriesFor(encoder));

    /// <inheritdoc />
    private protected override ObservedCounterSeries NewSeries(string[] key, byte[] labelText) => new(Name, key, labelText);

    /// <inheritdoc />
    private protected override long Fingerprint(ObservedCounterSeries series) => BitConverter.DoubleToInt64Bits(series.Value);
}
