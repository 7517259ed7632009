using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aria.Metrics.Cells;

/// <summary>
/// The cells shared by striped series (counters, histograms, incremented gauges). A series starts as one small
/// unpadded block of cells and, once two threads are seen writing it at the same time, grows a table of stripes, each
/// a copy of that block on its own 128-byte region (two cache lines, so adjacent-line prefetching cannot make
/// neighbours share). Readers sum the base block and every stripe. This is Java's LongAdder, with two changes that
/// this machine's costs dictate (2 vCPUs, .NET 10 on Linux, measured in plain loops):
/// <list type="bullet">
/// <item>A thread finds its stripe from the address of its own stack, not from <see cref="Thread.GetCurrentProcessorId"/>
/// (about 4.5 ns a call here, twice the atomic add it chooses a cell for) nor from a <c>[ThreadStatic]</c> probe
/// (about 5 ns: a thread-static read outside a loop is a call into the TLS resolver on Linux). Every thread's stack is
/// its own megabytes of address space, so the megabyte a local variable lives in names the thread for free. Two
/// threads whose megabytes hash to one stripe collide; the table then changes its salt (its re-hash, LongAdder's
/// probe change done per table instead of per thread), at most <see cref="MaxRehashes"/> times in its life.</item>
/// <item>Updates are plain interlocked adds, the cheapest atomic operation, rather than compare-and-swaps. A
/// compare-and-swap costs a read before the locked instruction, 1.5 ns here; contention is instead sampled: when an add
/// carries a cell across a multiple of <see cref="SampleUnits"/>, a no-op compare-and-swap checks whether another
/// thread is writing that cell. Cells that are doubles keep their compare-and-swap, which detects contention itself.</item>
/// </list>
/// </summary>
internal static class Striping
{
    /// <summary>Longs in 128 bytes: the unit of padding.</summary>
    public const int PadLongs = 16;

    /// <summary>How often, in units added to one cell, an add checks for another thread on that cell.</summary>
    public const long SampleUnits = 64;

    /// <summary>Re-hashes a table may make; with more busy threads than stripes collisions never stop, and the salt must.</summary>
    public const long MaxRehashes = 16;

    /// <summary>
    /// Stripes per table: the processor count rounded up to a power of two, so a mask picks a stripe. The environment
    /// variable <c>ARIA_METRICS_STRIPES</c> overrides it (rounded up likewise, 1 to 64); with 1, every thread shares
    /// one stripe, which is how the scaling gate is shown to fail when striping does not work.
    /// </summary>
    public static readonly int StripeCount = CountStripes();

    /// <summary>The table's salt, in the leading pad: the odd multiplier of every stripe choice, changed by a re-hash.</summary>
    private const int SaltSlot = 0;

    /// <summary>How many re-hashes the table has made, beside the salt.</summary>
    private const int RehashSlot = 1;

    /// <summary>Stacks are at least this far apart (the runtime gives a thread 1.5 MB, the main thread 8 MB).</summary>
    private const int StackShift = 20;

    private static readonly int StripeMask = StripeCount - 1;

    /// <summary>Shifts a 64-bit hash down to its top log2(stripes) bits (at least one, masked off for a single stripe).</summary>
    private static readonly int StripeShift = 64 - Math.Max(1, BitOperations.Log2((uint)StripeCount));

    /// <summary>A fixed address that stack addresses are measured from (a non-GC static: it never moves); never written.</summary>
#pragma warning disable CS0649 // Only its address is used.
    private static long s_anchor;
#pragma warning restore CS0649

    /// <summary>
    /// The width of one stripe holding <paramref name="slots"/> longs: its slots plus a whole pad, rounded up to whole
    /// pads. Arrays are only 8-byte aligned, so the used slots of two neighbouring stripes must be at least 128 bytes
    /// apart whatever the alignment; a stride of just the slots rounded up would let them share a line.
    /// </summary>
    public static int Width(int slots) => (slots + PadLongs + PadLongs - 1) / PadLongs * PadLongs;

    /// <summary>
    /// A stripe table; the leading pad keeps stripe 0 off the cache line of the array header and holds the salt and
    /// the re-hash count, which are read by every update and written only by re-hashes.
    /// </summary>
    public static long[] Allocate(int width)
    {
        var stripes = new long[PadLongs + (StripeCount * width)];
        stripes[SaltSlot] = unchecked((long)0x9E3779B97F4A7C15UL);
        return stripes;
    }

    /// <summary>
    /// The first cell of the calling thread's stripe in <paramref name="stripes"/>. No bounds check: the index is
    /// masked to a stripe that the table holds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref long Stripe(long[] stripes, int width)
    {
        ref long table = ref MemoryMarshal.GetArrayDataReference(stripes);
        ulong salt = (ulong)Unsafe.Add(ref table, SaltSlot);
        long onStack = 0;
        ulong thread = (ulong)((long)Unsafe.ByteOffset(ref s_anchor, ref onStack) >> StackShift);

        // Multiplicative hashing with the salt as the (odd) multiplier, reading the top bits: for two threads a
        // fixed distance apart, a random multiplier puts them on one stripe with probability 1/stripes. (A fixed
        // multiplier with the salt xor-ed into the thread keeps that distance, and for some distances the same stripe
        // nearly whatever the salt.)
        int stripe = (int)((thread * salt) >> StripeShift) & StripeMask;
        return ref Unsafe.Add(ref table, PadLongs + (stripe * width));
    }

    /// <summary>The start of stripe <paramref name="stripe"/>, for readers.</summary>
    public static int OffsetOf(int stripe, int width) => PadLongs + (stripe * width);

    /// <summary>
    /// Publishes a stripe table once: the first thread to see contention wins, the others use its table.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long[] Publish(ref long[]? field, int width)
    {
        long[] created = Allocate(width);
        return Interlocked.CompareExchange(ref field, created, null) ?? created;
    }

    /// <summary>
    /// Adds to a whole-number cell with one interlocked add. False when the add was sampled (it carried the cell
    /// across a multiple of <see cref="SampleUnits"/>) and another thread was seen writing the same cell.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddAlone(ref long cell, long amount)
    {
        long after = Interlocked.Add(ref cell, amount);
        return (after & (SampleUnits - 1)) >= amount || !Contended(ref cell);
    }

    /// <summary>Adds to a cell of the calling thread's stripe, re-hashing the table when another thread shares it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddToStripe(long[] stripes, ref long cell, long amount)
    {
        if (!AddAlone(ref cell, amount))
        {
            Rehash(stripes);
        }
    }

    /// <summary>Adds to a double stored as bits in a cell of the calling thread's stripe, re-hashing on a collision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddDoubleToStripe(long[] stripes, ref long bits, double amount)
    {
        if (!TryAddDouble(ref bits, amount))
        {
            AddDoubleCollided(stripes, ref bits, amount);
        }
    }

    /// <summary>One attempt to add to a double stored as bits; false when another thread got there first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryAddDouble(ref long bits, double amount)
    {
        long current = bits;
        long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + amount);
        return Interlocked.CompareExchange(ref bits, next, current) == current;
    }

    /// <summary>Adds to a double stored as bits, retrying until it lands.</summary>
    public static void AddDouble(ref long bits, double amount)
    {
        while (!TryAddDouble(ref bits, amount))
        {
        }
    }

    /// <summary>Reads a double stored as bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReadDouble(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));

    /// <summary>
    /// Gives the table a new salt after two threads met on one stripe, so that every thread's stripe is drawn again;
    /// with as many stripes as cores, two busy threads part after two draws on average.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Rehash(long[] stripes)
    {
        // Past the budget, only a read: the salt's cache line is read by every update and must stay quiet.
        if (Volatile.Read(ref stripes[RehashSlot]) < MaxRehashes && Interlocked.Increment(ref stripes[RehashSlot]) <= MaxRehashes)
        {
            // A step of Knuth's MMIX generator, kept odd so that the multiplication stays a bijection.
            long salt = Volatile.Read(ref stripes[SaltSlot]);
            Volatile.Write(ref stripes[SaltSlot], unchecked((salt * 6364136223846793005L) + 1442695040888963407L) | 1);
        }
    }

    /// <summary>
    /// Whether another thread writes <paramref name="cell"/> right now: a compare-and-swap that would change nothing
    /// fails only when the cell changed between reading it and locking it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Contended(ref long cell)
    {
        long seen = Volatile.Read(ref cell);
        return Interlocked.CompareExchange(ref cell, seen, seen) != seen;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddDoubleCollided(long[] stripes, ref long bits, double amount)
    {
        Rehash(stripes);
        AddDouble(ref bits, amount);
    }

    private static int CountStripes()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("ARIA_METRICS_STRIPES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int chosen)
            ? Math.Clamp(chosen, 1, 64)
            : Math.Clamp(Environment.ProcessorCount, 2, 64);
        return (int)BitOperations.RoundUpToPowerOf2((uint)count);
    }
}
