using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One counter series. Whole increments accumulate in a 64-bit integer, so counts stay exact up to 2^63;
/// fractional increments accumulate beside them in a double. Uncontended, the series is these two cells; the first
/// collision between threads moves its updates to per-processor stripes.
/// </summary>
public sealed class CounterSeries : Series
{
    private const int WholeSlot = 0;
    private const int FractionSlot = 1;
    private static readonly int StripeWidth = Striping.Width(2);

    private long _whole;
    private long _fractionBits;
    private long[]? _stripes;

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
        if (whole == amount && amount < TwoTo63)
        {
            AddWhole(whole);
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

        AddWhole(count);
    }

    /// <summary>The integer and fractional parts, each summed over the stripes.</summary>
    internal (long Whole, double Fraction) Read()
    {
        long whole = Volatile.Read(ref _whole);
        double fraction = Striping.ReadDouble(ref _fractionBits);
        long[]? stripes = Volatile.Read(ref _stripes);
        if (stripes is not null)
        {
            for (int stripe = 0; stripe < Striping.StripeCount; stripe++)
            {
                int offset = Striping.OffsetOf(stripe, StripeWidth);
                whole += Volatile.Read(ref stripes[offset + WholeSlot]);
                fraction += Striping.ReadDouble(ref stripes[offset + FractionSlot]);
            }
        }

        return (whole, fraction);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWhole(long count)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            long current = _whole;
            if (Interlocked.CompareExchange(ref _whole, current + count, current) == current)
            {
                return;
            }

            stripes = Striping.Publish(ref _stripes, StripeWidth);
        }

        Interlocked.Add(ref stripes[Striping.Offset(StripeWidth) + WholeSlot], count);
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

        Striping.AddDouble(ref stripes[Striping.Offset(StripeWidth) + FractionSlot], amount);
    }
}
