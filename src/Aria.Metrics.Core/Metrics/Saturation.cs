namespace Aria.Metrics;

/// <summary>
/// The numeric edges of counts and sums, in one place. Integer cells are read as unsigned: only increments of one
/// (which would need 2^64 calls, centuries) and compare-and-swap adds that stop at <see cref="CellCap"/> reach them,
/// so no cell wraps. Totals over several cells saturate at <see cref="long.MaxValue"/> instead of wrapping negative, and
/// sums saturate at the largest finite double instead of reaching an infinity.
/// </summary>
internal static class Saturation
{
    /// <summary>The most a compare-and-swap add leaves in one integer cell: 2^63, read as unsigned.</summary>
    public const ulong CellCap = 1UL << 63;

    /// <summary>
    /// Adds <paramref name="count"/> to <paramref name="cell"/> by compare-and-swap, but only while the cell stays at or
    /// below <see cref="CellCap"/>; returns false, leaving the cell as it is, when it would not.
    /// </summary>
    public static bool TryAddBelowCap(ref long cell, long count)
    {
        long current = Volatile.Read(ref cell);
        while (true)
        {
            ulong before = (ulong)current;
            if (before > CellCap || (ulong)count > CellCap - before)
            {
                return false;
            }

            long seen = Interlocked.CompareExchange(ref cell, (long)(before + (ulong)count), current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Adds a cell's count (the bits of an unsigned total below 2^64, which may look negative as a long) to a running
    /// total, saturating at <see cref="long.MaxValue"/>.
    /// </summary>
    public static long AddCount(long total, long cell) =>
        (ulong)cell >= (ulong)(long.MaxValue - total) ? long.MaxValue : total + cell;

    /// <summary>The sum with its infinities clamped to the largest finite doubles; NaN stays NaN.</summary>
    public static double Finite(double sum) =>
        double.IsInfinity(sum) ? (sum > 0 ? double.MaxValue : double.MinValue) : sum;
}
