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
/// its own megabytes of address space, so a few bits of the address of a local variable name the thread for free (a
/// shift and a mask). Two threads on one stripe collide; the table then moves its choice to other bits of the address
/// (its re-hash: LongAdder's probe change, done per table instead of per thread), at most <see cref="MaxRehashes"/>
/// times in its life.</item>
/// <item>Updates are plain interlocked adds, the cheapest atomic operation, rather than compare-and-swaps. A
/// compare-and-swap costs a read before the locked instruction, 1.5 ns here; contention is instead sampled: when an add
/// carries a cell across a multiple of <see cref="SampleUnits"/>, a pause between two reads checks whether another
/// thread is writing that cell. Cells that are doubles keep their compare-and-swap, which detects contention itself.</item>
/// </list>
/// </summary>
internal static class Striping
{
    /// <summary>Longs in 128 bytes: the unit of padding.</summary>
    public const int PadLongs = 16;

    /// <summary>How often, in units added to one cell, an add checks for another thread on that cell.</summary>
    public const long SampleUnits = 1024;

    /// <summary>Spin iterations of a contention check: long enough for a busy writer on another core to show.</summary>
    private const int ContentionPause = 16;

    /// <summary>Re-hashes a table may make; with more busy threads than stripes collisions never stop, and re-hashing must.</summary>
    public const long MaxRehashes = 16;

    /// <summary>
    /// Stripes per table: the processor count rounded up to a power of two, so a mask picks a stripe. The environment
    /// variable <c>ARIA_METRICS_STRIPES</c> overrides it (rounded up likewise, 1 to 64); with 1, every thread shares
    /// one stripe, which is how the scaling gate is shown to fail when striping does not work.
    /// </summary>
    public static readonly int StripeCount = CountStripes();

    /// <summary>
    /// In the leading pad: which bits of the stack address pick the stripe (a shift, then a mask of log2(stripes)
    /// bits), and how many re-hashes the table has made. Read by every update, written only by re-hashes.
    /// </summary>
    private const int ShiftSlot = 0;

    private const int MaskSlot = 1;

    private const int RehashSlot = 2;

    /// <summary>The lowest bit a re-hash tries: stacks are at least 1.5 MB apart (the runtime's default for threads).</summary>
    private const int LowestShift = 20;

    /// <summary>How many bit positions re-hashes cycle through, from <see cref="LowestShift"/>: up to 4 GB apart.</summary>
    private const int Shifts = 12;

    /// <summary>The first shift: 8 MB, the distance between thread stacks with Linux's default stack size.</summary>
    private const int FirstShift = 23;

    /// <summary>Stacks are at least this far apart (the runtime gives a thread 1.5 MB, the main thread 8 MB).</summary>
    private const int StackShift = 20;


    /// <summary>
    /// The width of one stripe holding <paramref name="slots"/> longs: its slots plus a whole pad, rounded up to whole
    /// pads. Arrays are only 8-byte aligned, so the used slots of two neighbouring stripes must be at least 128 bytes
    /// apart whatever the alignment; a stride of just the slots rounded up would let them share a line.
    /// </summary>
    public static int Width(int slots) => (slots + PadLongs + PadLongs - 1) / PadLongs * PadLongs;

    /// <summary>
    /// A stripe table; the leading pad keeps stripe 0 off the cache line of the array header and holds the stripe
    /// choice's shift and mask and the re-hash count.
    /// </summary>
    public static long[] Allocate(int width)
    {
        var stripes = new long[PadLongs + (StripeCount * width)];
        stripes[ShiftSlot] = FirstShift;
        stripes[MaskSlot] = StripeCount - 1;
        return stripes;
    }

    /// <summary>
    /// The first cell of the calling thread's stripe in <paramref name="stripes"/>. No bounds check: the index is
    /// masked to a stripe that the table holds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref long Stripe(long[] stripes, int width)
    {
        // No static field is touched here: the JIT reaches another assembly's statics through a helper call, which
        // once cost more than the rest of the update. The table's header carries what the choice needs. The local is
        // never written, only its address read: a store per update before the locked add cost a nanosecond.
        ref long table = ref MemoryMarshal.GetArrayDataReference(stripes);
        int shift = (int)Unsafe.Add(ref table, ShiftSlot);
        int mask = (int)Unsafe.Add(ref table, MaskSlot);
        Unsafe.SkipInit(out long onStack);
        long stack = (long)Unsafe.ByteOffset(ref Unsafe.NullRef<long>(), ref onStack);
        int stripe = (int)(stack >> shift) & mask;
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
    /// Moves the table's stripe choice to the next bits of the stack address after two threads met on one stripe.
    /// Two threads' stacks differ somewhere between 1 MB and 4 GB, so for two threads some shift tells them apart;
    /// with as many stripes as cores, two busy threads part after a few re-hashes at most.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Rehash(long[] stripes)
    {
        // Past the budget, only a read: the header's cache line is read by every update and must stay quiet.
        long made;
        if (Volatile.Read(ref stripes[RehashSlot]) < MaxRehashes && (made = Interlocked.Increment(ref stripes[RehashSlot])) <= MaxRehashes)
        {
            Volatile.Write(ref stripes[ShiftSlot], LowestShift + ((FirstShift - LowestShift + made) % Shifts));
        }
    }

    /// <summary>
    /// Whether another thread writes <paramref name="cell"/> right now: it is read, then read again after a pause of
    /// some tens of nanoseconds, in which the calling thread does not write it. A no-op compare-and-swap in place of
    /// the pause (read, then lock the line) was tried first: the core that reads a line usually keeps it long enough
    /// to lock it, so two threads hammering one cell went unnoticed for millions of adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Contended(ref long cell)
    {
        long seen = Volatile.Read(ref cell);
        Thread.SpinWait(ContentionPause);
        return Volatile.Read(ref cell) != seen;
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
