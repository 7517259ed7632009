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
/// shift and a mask, kept by the series as its stripe choice). Two threads on one stripe collide; the series then
/// moves its choice to other bits of the address (its re-hash: LongAdder's probe change, done per series instead of
/// per thread), at most <see cref="MaxRehashes"/> times in its table's life.</item>
/// <item>Updates are plain interlocked adds, the cheapest atomic operation, rather than compare-and-swaps. A
/// compare-and-swap costs a read before the locked instruction, 1.5 ns here; contention is instead sampled: when an add
/// carries a cell across a multiple of <see cref="SampleUnits"/>, it leaves a mark of its thread beside the cell, and
/// only when the previous sample was another thread's (or once every <see cref="WaitUnits"/>) does a pause between two
/// reads check whether another thread is writing that cell. The pause (about 0.6 to 1 microsecond) taken at every
/// sample had cost a lone writer 15 to 30 % of its adds. Cells that are doubles keep their compare-and-swap, which
/// detects contention itself.</item>
/// </list>
/// </summary>
[SkipLocalsInit]
internal static class Striping
{
    /// <summary>Longs in 128 bytes: the unit of padding.</summary>
    public const int PadLongs = 16;

    /// <summary>How often, in units added to one cell, an add checks for another thread on that cell.</summary>
    public const long SampleUnits = 1024;

    /// <summary>
    /// How often, in units, a sample pauses to look for another writer even when the previous sample was the same
    /// thread's: two threads whose adds strictly alternated would otherwise leave every sample to one of them.
    /// </summary>
    public const long WaitUnits = 16 * SampleUnits;

    /// <summary>Stack addresses this far apart (1 MB) may belong to one thread; a thread's mark is its address above.</summary>
    private const int ThreadMarkShift = 20;

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

    /// <summary>In the leading pad: how many re-hashes the table has made, and log2 of its stripe width in bytes.</summary>
    private const int RehashSlot = 0;

    private const int WidthBitsSlot = 1;

    /// <summary>The bits of a stripe choice that hold its shift; the shift instruction reads only these.</summary>
    private const int ShiftBits = 63;

    /// <summary>The lowest bit a re-hash tries: stacks are at least 1.5 MB apart (the runtime's default for threads).</summary>
    private const int LowestShift = 20;

    /// <summary>How many bit positions re-hashes cycle through, from <see cref="LowestShift"/>: up to 4 GB apart.</summary>
    private const int Shifts = 12;

    /// <summary>The first shift: 8 MB, the distance between thread stacks with Linux's default stack size.</summary>
    private const int FirstShift = 23;

    /// <summary><see cref="Width"/> of any stripe of up to <see cref="PadLongs"/> slots, as a constant.</summary>
    public const int NarrowWidth = 2 * PadLongs;

    /// <summary>
    /// The width of one stripe holding <paramref name="slots"/> longs: its slots plus a whole pad, rounded up to a
    /// power of two. Arrays are only 8-byte aligned, so the used slots of two neighbouring stripes must be at least
    /// 128 bytes apart whatever the alignment; a power of two lets the stripe's byte offset come out of the stack
    /// address with a shift and a mask, no multiplication.
    /// </summary>
    public static int Width(int slots) => (int)BitOperations.RoundUpToPowerOf2((uint)(slots + PadLongs));

    /// <summary>
    /// The stripe choice a series of stripes <paramref name="width"/> longs wide starts with, kept by the series
    /// itself beside its table reference: the mask of the stack-address bits that give the stripe's byte offset
    /// ((stripes - 1) times the width in bytes, so its low bits are free), ORed with how far to shift the address
    /// right first (the chosen bit minus log2 of the width in bytes, below 64).
    /// </summary>
    public static int FirstChoice(int width)
    {
        int widthBits = WidthBits(width);

        // A stripe wider than the lowest re-hash bit (128K slots, a histogram of absurd size) cannot be picked by
        // stack bits: every thread then shares stripe 0, which is correct, only not scalable.
        int mask = widthBits <= LowestShift ? (StripeCount - 1) << widthBits : 0;
        return mask | Math.Max(0, FirstShift - widthBits);
    }

    /// <summary>
    /// A stripe table for stripes of <paramref name="width"/> longs (a power of two from <see cref="Width"/>); the
    /// leading pad keeps stripe 0 off the cache line of the array header and holds the re-hash count.
    /// </summary>
    public static long[] Allocate(int width)
    {
        var stripes = new long[PadLongs + (StripeCount * width)];
        stripes[WidthBitsSlot] = WidthBits(width);
        return stripes;
    }

    /// <summary>
    /// The first cell of the calling thread's stripe in <paramref name="stripes"/>, by the series' current
    /// <paramref name="choice"/>. No bounds check: the offset is masked to a stripe that the table holds.
    /// </summary>
    /// <remarks>
    /// Two threads get twice the work of one only when a striped update on each costs what an unstriped update costs
    /// one thread, so this is as short as measurement could make it on the 2-vCPU VM: the choice comes from the series
    /// (read beside the table reference, not after it from the table: that dependent load cost a tenth of the update),
    /// a shift and a mask give the byte offset, the add's addressing mode does the rest, and no static field is read
    /// (the JIT reaches another assembly's statics through a helper call). The local whose address names the thread
    /// is never written: <c>SkipLocalsInit</c> on this class keeps the JIT from zeroing it at every inlined call, a
    /// store before the locked add.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref long Stripe(long[] stripes, int choice)
    {
        ref long first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(stripes), PadLongs);
        Unsafe.SkipInit(out long onStack);
        nint stack = Unsafe.ByteOffset(ref Unsafe.NullRef<long>(), ref onStack);

        // A shift by an int reads its low six bits only: the choice's mask bits do not disturb it.
        return ref Unsafe.AddByteOffset(ref first, (stack >> choice) & (choice & ~ShiftBits));
    }

    /// <summary>The thread mark of the contention samples of a stripe's cell, kept in the stripe's slot <paramref name="samplerSlot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref short Sampler(ref long stripe, int samplerSlot) => ref Unsafe.As<long, short>(ref Unsafe.Add(ref stripe, samplerSlot));

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
    /// <paramref name="sampler"/> holds the mark of the thread that took the cell's previous sample: a word that only
    /// samples touch, on the cell's own cache line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddAlone(ref long cell, long amount, ref short sampler)
    {
        long after = Interlocked.Add(ref cell, amount);
        return (after & (SampleUnits - 1)) >= amount || !Contended(ref cell, ref sampler, (after & (WaitUnits - 1)) < amount);
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
    /// Moves the series' stripe choice to the next bits of the stack address after two threads met on one stripe.
    /// Two threads' stacks differ somewhere between 1 MB and 4 GB, so for two threads some shift tells them apart;
    /// with as many stripes as cores, two busy threads part after a few re-hashes at most. The count lives in the
    /// table's header, which updates never read.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Rehash(ref int choice, long[] stripes)
    {
        // Past the budget, only a read: the choice is read by every update and its cache line must stay quiet.
        long made;
        if (Volatile.Read(ref stripes[RehashSlot]) < MaxRehashes && (made = Interlocked.Increment(ref stripes[RehashSlot])) <= MaxRehashes)
        {
            int bit = LowestShift + (int)((FirstShift - LowestShift + made) % Shifts);
            int current = Volatile.Read(ref choice);
            Volatile.Write(ref choice, (current & ~ShiftBits) | Math.Max(0, bit - (int)stripes[WidthBitsSlot]));
        }
    }

    /// <summary>
    /// Whether another thread writes <paramref name="cell"/> right now. The previous sample's thread mark decides
    /// whether to look: a thread that took it too has had the cell to itself as far as samples show, and goes on
    /// without a pause, unless <paramref name="mustLook"/>. To look, the cell is read, then read again after a pause of
    /// some hundreds of nanoseconds, in which the calling thread does not write it. A no-op compare-and-swap in place
    /// of the pause (read, then lock the line) was tried first: the core that reads a line usually keeps it long
    /// enough to lock it, so two threads hammering one cell went unnoticed for millions of adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Contended(ref long cell, ref short sampler, bool mustLook)
    {
        Unsafe.SkipInit(out long onStack);
        short thread = (short)(Unsafe.ByteOffset(ref Unsafe.NullRef<long>(), ref onStack) >> ThreadMarkShift);
        if (Volatile.Read(ref sampler) == thread && !mustLook)
        {
            return false;
        }

        Volatile.Write(ref sampler, thread);
        long seen = Volatile.Read(ref cell);
        Thread.SpinWait(ContentionPause);
        return Volatile.Read(ref cell) != seen;
    }

    private static int WidthBits(int width) => BitOperations.Log2((uint)width * sizeof(long));

    private static int CountStripes()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("ARIA_METRICS_STRIPES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int chosen)
            ? Math.Clamp(chosen, 1, 64)
            : Math.Clamp(Environment.ProcessorCount, 2, 64);
        return (int)BitOperations.RoundUpToPowerOf2((uint)count);
    }
}
