using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One gauge series: a double held as its bits, so that a set is one plain store. Increments and decrements are one
/// compare-and-swap on it until two threads collide; from then on, whole-number increments and decrements go to
/// per-thread stripes as exact integer deltas (see <see cref="Striping"/>), so that a gauge counting requests in
/// flight scales with cores as a counter does. The value is then the base plus the deltas made since the last set.
/// <para>
/// A set on a striped gauge records the deltas' total beside the new base, under a sequence number that readers
/// check, so that a reader sees either the old value or the new one and never the base of one with the offset of the
/// other. Fractional amounts stay on the base (compare-and-swap), as they were before the gauge went striped.
/// </para>
/// </summary>
public sealed class GaugeSeries : Series
{
    /// <summary>The stripe width for one slot, as a constant: a static field would cost a helper call per update.</summary>
    private const int StripeWidth = Striping.NarrowWidth;

    /// <summary>Where a stripe keeps the thread mark of its delta's last contention sample (see <see cref="Striping.AddAlone"/>).</summary>
    private const int SamplerSlot = 1;

    private long _bits;
    private long[]? _stripes;
    private long _setOffset;
    private int _setVersion;

    /// <summary>Which bits of a thread's stack address pick its stripe (see <see cref="Striping.Stripe"/>).</summary>
    private int _stripeChoice = Striping.FirstChoice(StripeWidth);

    internal GaugeSeries(string metric, string[] key, byte[] labelText)
        : base(metric, key, labelText)
    {
    }

    /// <summary>The current value.</summary>
    public double Value
    {
        get
        {
            long[]? stripes = Volatile.Read(ref _stripes);
            return stripes is null ? Striping.ReadDouble(ref _bits) : ReadStriped(stripes);
        }
    }

    /// <summary>Whether contended increments have moved this series onto stripes.</summary>
    internal bool IsStriped => Volatile.Read(ref _stripes) is not null;

    /// <summary>Sets the value; any double, NaN included, is a valid gauge value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(double value)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));
            return;
        }

        SetStriped(stripes, value);
    }

    /// <summary>Adds one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc() => AddWhole(1);

    /// <summary>Adds <paramref name="amount"/>, which may be negative but not NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is NaN.</exception>
    public void Inc(double amount)
    {
        if (double.IsNaN(amount))
        {
            Errors.InvalidAmount(Metric, amount);
        }

        Add(amount);
    }

    /// <summary>Subtracts one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dec() => AddWhole(-1);

    /// <summary>Subtracts <paramref name="amount"/>, which may be negative but not NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is NaN.</exception>
    public void Dec(double amount)
    {
        if (double.IsNaN(amount))
        {
            Errors.InvalidAmount(Metric, amount);
        }

        Add(-amount);
    }

    /// <summary>Sets the value to the current Unix time in seconds, with millisecond resolution or better.</summary>
    public void SetToCurrentTime() => Set(UnixTime.Now());

    private void Add(double amount)
    {
        // Whole amounts that a long holds exactly can be striped deltas; anything else changes the base.
        const double TwoTo53 = 9007199254740992d;
        if (Math.Abs(amount) <= TwoTo53 && amount == Math.Truncate(amount))
        {
            AddWhole((long)amount);
        }
        else
        {
            Striping.AddDouble(ref _bits, amount);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWhole(long amount)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            if (Striping.TryAddDouble(ref _bits, amount))
            {
                return;
            }

            stripes = Striping.Publish(ref _stripes, StripeWidth);
        }

        ref long stripe = ref Striping.Stripe(stripes, _stripeChoice);
        if (!Striping.AddAlone(ref stripe, amount, ref Striping.Sampler(ref stripe, SamplerSlot)))
        {
            Rehash(stripes);
        }
    }

    private static long SumStripes(long[] stripes)
    {
        long total = 0;
        for (int stripe = 0; stripe < Striping.StripeCount; stripe++)
        {
            total += Volatile.Read(ref stripes[Striping.OffsetOf(stripe, StripeWidth)]);
        }

        return total;
    }

    private double ReadStriped(long[] stripes)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int version = Volatile.Read(ref _setVersion);
            if ((version & 1) == 0)
            {
                double value = Striping.ReadDouble(ref _bits);
                long deltas = SumStripes(stripes) - Volatile.Read(ref _setOffset);
                if (Volatile.Read(ref _setVersion) == version)
                {
                    return value + deltas;
                }
            }

            spinner.SpinOnce();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SetStriped(long[] stripes, double value)
    {
        var spinner = default(SpinWait);
        int version;
        while (((version = Volatile.Read(ref _setVersion)) & 1) != 0
               || Interlocked.CompareExchange(ref _setVersion, version + 1, version) != version)
        {
            spinner.SpinOnce();
        }

        // Deltas that land after this sum count on top of the new value, as increments made after the set.
        Volatile.Write(ref _setOffset, SumStripes(stripes));
        Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));
        Volatile.Write(ref _setVersion, version + 2);
    }

    /// <summary>
    /// Moves this series to other stripes after two threads met on one. Its own method so that the hot path never
    /// takes the choice's address: taken there, the JIT kept it across the add in a stack slot, a store per update.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Rehash(long[] stripes) => Striping.Rehash(ref _stripeChoice, stripes);
}
