using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One series of an <see cref="ObservedCounter"/>: the last reading of a monotonic source, held as the bits of a double.
/// A reading below the current value is ignored rather than exposed: two overlapping scrapes may read the source in
/// one order and store in the other, and a counter that steps back would be taken by Prometheus for a reset.
/// </summary>
public sealed class ObservedCounterSeries : Series
{
    private long _bits;

    internal ObservedCounterSeries(string metric, string[] key, byte[] labelText)
        : base(metric, key, labelText)
    {
    }

    /// <summary>The highest reading so far.</summary>
    public double Value => Striping.ReadDouble(ref _bits);

    /// <summary>Sets the value to the source's current reading, unless the series already holds a higher one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(double value)
    {
        // The comparison is false for NaN as well as for negatives.
        if (!(value >= 0) || value == double.PositiveInfinity)
        {
            Errors.InvalidCounterValue(Metric, value);
        }

        long next = BitConverter.DoubleToInt64Bits(value);
        long current = Volatile.Read(ref _bits);

        // Non-negative doubles order like their bits, so the compare-and-swap can compare the longs.
        while (next > current)
        {
            long seen = Interlocked.CompareExchange(ref _bits, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
