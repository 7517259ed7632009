using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One gauge series: a double held as its bits, so that a set is one plain store and an increment one
/// compare-and-swap. Gauges are set far more often than contended, so they are not striped.
/// </summary>
public sealed class GaugeSeries : Series
{
    private long _bits;

    internal GaugeSeries(string metric, string[] key, byte[] labelText)
        : base(metric, key, labelText)
    {
    }

    /// <summary>The current value.</summary>
    public double Value => Striping.ReadDouble(ref _bits);

    /// <summary>Sets the value; any double, NaN included, is a valid gauge value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(double value) => Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Adds one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc() => Striping.AddDouble(ref _bits, 1);

    /// <summary>Adds <paramref name="amount"/>, which may be negative but not NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is NaN.</exception>
    public void Inc(double amount)
    {
        if (double.IsNaN(amount))
        {
            Errors.InvalidAmount(Metric, amount);
        }

        Striping.AddDouble(ref _bits, amount);
    }

    /// <summary>Subtracts one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dec() => Striping.AddDouble(ref _bits, -1);

    /// <summary>Subtracts <paramref name="amount"/>, which may be negative but not NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is NaN.</exception>
    public void Dec(double amount)
    {
        if (double.IsNaN(amount))
        {
            Errors.InvalidAmount(Metric, amount);
        }

        Striping.AddDouble(ref _bits, -amount);
    }

    /// <summary>Sets the value to the current Unix time in seconds, with millisecond resolution or better.</summary>
    public void SetToCurrentTime() => Set(UnixTime.Now());
}
