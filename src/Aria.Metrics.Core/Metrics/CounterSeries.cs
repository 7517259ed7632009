using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;
using Aria.Metrics.Exposition;

namespace Aria.Metrics;

/// <summary>
/// One counter series. Whole increments accumulate in a 64-bit integer, so counts stay exact up to 2^63;
/// fractional increments accumulate beside them in a double. Uncontended, the series is these two cells; the first
/// time two threads are seen writing it together moves its updates to stripes (see <see cref="Striping"/>). Either
/// way a whole increment is one interlocked add.
/// </summary>
public sealed class CounterSeries : Series
{
    private const int WholeSlot = 0;
    private const int FractionSlot = 1;
    /// <summary>The stripe width for two slots, as a constant: a static field would cost a helper call per update.</summary>
    private const int StripeWidth = Striping.NarrowWidth;

    private long _whole;
    private long _fractionBits;
    private long[]? _stripes;

    /// <summary>Which bits of a thread's stack address pick its stripe (see <see cref="Striping.Stripe"/>).</summary>
    private int _stripeChoice = Striping.FirstChoice(StripeWidth);

    /// <summary>Whether contention has moved this series onto stripes.</summary>
    internal bool IsStriped => Volatile.Read(ref _stripes) is not null;

    internal CounterSeries(string metric, string[] key, byte[] labelText)
        : base(metric, key, labelText)
    {
    }

    /// <summary>The current value: the sum of every increment.</summary>
    public double Value
    {
        get
        {
            (long whole, double fraction) = Read();
            return whole + fraction;
        }
    }

    /// <summary>Adds one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc() => AddWhole(1);

    /// <summary>Adds <paramref name="amount"/>, which must be finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative, NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc(double amount)
    {
        // The comparison is false for NaN as well as for negatives.
        if (!(amount >= 0) || amount == double.PositiveInfinity)
        {
            Errors.NegativeIncrement(Metric, amount);
        }

        const double TwoTo63 = 9223372036854775808d;
        long whole = (long)amount;
        if (amount == 1)
        {
            AddWhole(1);
        }
        else if (whole == amount && amount < TwoTo63)
        {
            AddLarge(whole);
        }
        else
        {
            AddFraction(amount);
        }
    }

    /// <summary>Adds a whole number of events, which must not be negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public void Inc(long count)
    {
        if (count < 0)
        {
            Errors.NegativeIncrement(Metric, count);
        }

        // Only single events take the striped path, where a cell could not wrap in centuries of calls; any larger
        // count is added where it cannot wrap at all.
        if (count == 1)
        {
            AddWhole(1);
        }
        else
        {
            AddLarge(count);
        }
    }

    /// <summary>
    /// The integer and fractional parts, each summed over the stripes. The integer cells are unsigned totals; past
    /// <see cref="long.MaxValue"/> the excess moves to the fraction, and the fraction saturates at the largest double.
    /// </summary>
    internal (long Whole, double Fraction) Read()
    {
        ulong whole = (ulong)Volatile.Read(ref _whole);
        double fraction = Striping.ReadDouble(ref _fractionBits);
        long[]? stripes = Volatile.Read(ref _stripes);
        if (stripes is not null)
        {
            for (int stripe = 0; stripe < Striping.StripeCount; stripe++)
            {
                int offset = Striping.OffsetOf(stripe, StripeWidth);
                whole += (ulong)Volatile.Read(ref stripes[offset + WholeSlot]);
                fraction += Striping.ReadDouble(ref stripes[offset + FractionSlot]);
            }
        }

        if (whole > long.MaxValue)
        {
            fraction += whole - long.MaxValue;
            whole = long.MaxValue;
        }

        return ((long)whole, Saturation.Finite(fraction));
    }

    /// <summary>Writes the sample, its value exactly as an integer while no fraction was ever added.</summary>
    internal override void WriteSample(ref ExpositionWriter writer, ReadOnlySpan<byte> name)
    {
        (long whole, double fraction) = Read();
        if (fraction == 0)
        {
            writer.WriteSample(name, LabelText, whole);
        }
        else
        {
            writer.WriteSample(name, LabelText, whole + fraction);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWhole(long count)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            if (!Striping.AddAlone(ref _whole, count))
            {
                // The add has landed; the adds after it go to stripes.
                Striping.Publish(ref _stripes, StripeWidth);
            }

            return;
        }

        if (!Striping.AddAlone(ref Unsafe.Add(ref Striping.Stripe(stripes, _stripeChoice), WholeSlot), count))
        {
            Rehash(stripes);
        }
    }

    /// <summary>
    /// Adds a whole count other than one: exactly, in the base integer cell, while that cell stays at or below 2^63;
    /// past it, in the fraction, where the count goes on as a double (as Prometheus stores it) and cannot wrap.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddLarge(long count)
    {
        if (count != 0 && !Saturation.TryAddBelowCap(ref _whole, count))
        {
            AddFraction(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddFraction(double amount)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            if (Striping.TryAddDouble(ref _fractionBits, amount))
            {
                return;
            }

            stripes = Striping.Publish(ref _stripes, StripeWidth);
        }

        ref long bits = ref Unsafe.Add(ref Striping.Stripe(stripes, _stripeChoice), FractionSlot);
        if (!Striping.TryAddDouble(ref bits, amount))
        {
            Rehash(stripes);
            Striping.AddDouble(ref bits, amount);
        }
    }

    /// <summary>
    /// Moves this series to other stripes after two threads met on one. Its own method so that the hot path never
    /// takes the choice's address: taken there, the JIT kept it across the add in a stack slot, a store per update.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Rehash(long[] stripes) => Striping.Rehash(ref _stripeChoice, stripes);
}
