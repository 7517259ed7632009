using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Cells;

/// <summary>
/// The layout shared by striped counters and histograms: a series starts as one small unpadded cell block and,
/// at the first failed compare-and-swap, grows a table of per-processor stripes, each on its own 128-byte region
/// (two cache lines, so adjacent-line prefetching cannot make neighbours share). Readers sum the base block and
/// every stripe. This is Java's LongAdder idea, indexed by processor id rather than a per-thread probe.
/// </summary>
internal static class Striping
{
    /// <summary>Longs in 128 bytes: the unit of padding.</summary>
    public const int PadLongs = 16;

    /// <summary>Stripes per table: the processor count rounded up to a power of two, so a mask picks a stripe.</summary>
    public static readonly int StripeCount =
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 2, 64));

    /// <summary>
    /// The width of one stripe holding <paramref name="slots"/> longs: its slots plus a whole pad, rounded up to whole
    /// pads. Arrays are only 8-byte aligned, so the used slots of two neighbouring stripes must be at least 128 bytes
    /// apart whatever the alignment; a stride of just the slots rounded up would let them share a line.
    /// </summary>
    public static int Width(int slots) => (slots + PadLongs + PadLongs - 1) / PadLongs * PadLongs;

    /// <summary>A stripe table; the leading pad keeps stripe 0 off the cache line of the array header.</summary>
    public static long[] Allocate(int width) => new long[PadLongs + (StripeCount * width)];

    /// <summary>Where the calling processor's stripe starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Offset(int width) => PadLongs + ((Thread.GetCurrentProcessorId() & (StripeCount - 1)) * width);

    /// <summary>The start of stripe <paramref name="stripe"/>, for readers.</summary>
    public static int OffsetOf(int stripe, int width) => PadLongs + (stripe * width);

    /// <summary>
    /// Publishes a stripe table once: the first thread to see contention wins, the others use its table.
    /// </summary>
    public static long[] Publish(ref long[]? field, int width)
    {
        long[] created = Allocate(width);
        return Interlocked.CompareExchange(ref field, created, null) ?? created;
    }

    /// <summary>One attempt to add to a double stored as bits; false when another thread got there first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryAddDouble(ref long bits, double amount)
    {
        long current = Volatile.Read(ref bits);
        long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + amount);
        return Interlocked.CompareExchange(ref bits, next, current) == current;
    }

    /// <summary>Adds to a double stored as bits, retrying until it lands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddDouble(ref long bits, double amount)
    {
        while (!TryAddDouble(ref bits, amount))
        {
        }
    }

    /// <summary>Reads a double stored as bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReadDouble(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));
}
