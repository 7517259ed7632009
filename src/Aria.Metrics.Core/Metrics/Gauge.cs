using System.Runtime.CompilerServices;
using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>A gauge family. Without labels, the family's own methods update its single series.</summary>
public sealed class Gauge : MetricFamily<GaugeSeries>
{
    internal Gauge(string name, string help, string[] labelNames)
        : base(MetricType.Gauge, name, help, labelNames, string.Empty)
    {
        CreateUnlabeledSeries();
    }

    /// <summary>The value of the unlabeled series.</summary>
    public double Value => Unlabeled.Value;

    /// <summary>Sets the unlabeled series.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(double value) => Unlabeled.Set(value);

    /// <summary>Adds one to the unlabeled series.</summary>
    public void Inc() => Unlabeled.Inc();

    /// <summary>Adds <paramref name="amount"/> (not NaN) to the unlabeled series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is NaN.</exception>
    public void Inc(double amount) => Unlabeled.Inc(amount);

    /// <summary>Subtracts one from the unlabeled series.</summary>
    public void Dec() => Unlabeled.Dec();

    /// <summary>Subtracts <paramref name="amount"/> (not NaN) from the unlabeled series.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is NaN.</exception>
    public void Dec(double amount) => Unlabeled.Dec(amount);

    /// <summary>Sets the unlabeled series to the current Unix time in seconds.</summary>
    public void SetToCurrentTime() => Unlabeled.SetToCurrentTime();

    internal override void Collect(FormatEncoder encoder, ref ExpositionWriter writer) => encoder.WriteGauges(ref writer, this, SeriesFor(encoder));

    /// <inheritdoc />
    private protected override GaugeSeries NewSeries(string[] key, byte[] labelText) => new(Name, key, labelText);

    /// <summary>The value's bits: a set to the value the gauge already holds changes nothing a scrape could see, and is not seen.</summary>
    private protected override long Fingerprint(GaugeSeries series) => BitConverter.DoubleToInt64Bits(series.Value);
}
