using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One counter series. Whole increments accumulate in a 64-bit integer, so counts stay exact up to 2^63;
/// fractional increments accumulate beside them in a double, made with the first one (see <see cref="CounterExtras"/>).
/// Uncontended, the series is these cells; the first time two threads are seen writing it together moves its updates
/// to stripes (see <see cref="Striping"/>). Either way a whole increment is one interlocked add. The series also keeps
/// the time it was created (the protobuf start timestamp, OpenMetrics' <c>_created</c>) and, once it has had one, its
/// latest exemplar, in the same extras as the fraction: a series of whole increments without exemplars is six words.
/// </summary>
public sealed class CounterSeries : Series
{
    private const int WholeSlot = 0;
    private const int FractionSlot = 1;

    /// <summary>Where a stripe keeps the thread mark of its whole cell's last contention sample (see <see cref="Striping.AddAlone"/>).</summary>
    private const int SamplerSlot = 2;
    /// <summary>The stripe width for two slots, as a constant: a static field would cost a helper call per update.</summary>
    private const int StripeWidth = Striping.NarrowWidth;

    private long _whole;
    private long[]? _stripes;

    /// <summary>Which bits of a thread's stack address pick its stripe (see <see cref="Striping.Stripe"/>).</summary>
    private int _stripeChoice = Striping.FirstChoice(StripeWidth);

    /// <summary>The thread mark of the unstriped cell's last contention sample; it fits in the series' padding.</summary>
    private short _wholeSampler;

    /// <summary>
    /// Whether the family takes exemplars from the current activity. Kept beside the cells (it fits in their padding),
    /// so that an increment decides without loading the object <see cref="Series.NameOrExtras"/> points to.
    /// </summary>
    private readonly bool _exemplarsFromActivity;

    /// <summary>Whether contention has moved this series onto stripes.</summary>
    internal bool IsStriped => Volatile.Read(ref _stripes) is not null;

    internal CounterSeries(string metric, string[] key, byte[] labelText, bool exemplarsFromActivity)
        : base(metric, key, labelText)
    {
        CreatedTicks = DateTime.UtcNow.Ticks;
        if (exemplarsFromActivity)
        {
            NameOrExtras = new CounterExtras(metric) { Exemplar = new ExemplarSlot(fromActivity: true) };
            _exemplarsFromActivity = true;
        }
    }

    /// <summary>When the series was created, in <see cref="DateTime"/> ticks (UTC): the start of its count.</summary>
    internal long CreatedTicks { get; }

    /// <summary>The latest exemplar's slot, or null while the series has had none.</summary>
    internal ExemplarSlot? LatestExemplar => Volatile.Read(ref NameOrExtras) is CounterExtras extras ? Volatile.Read(ref extras.Exemplar) : null;

    /// <summary>
    /// The exemplar slot of a family that takes exemplars from the current activity, or null. That slot is made with the
    /// series and never replaced (explicit exemplars reuse it), so the flag alone decides.
    /// </summary>
    private ExemplarSlot? ActivitySlot
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _exemplarsFromActivity ? ((CounterExtras)NameOrExtras).Exemplar : null;
    }

    /// <summary>The extras, created on first use.</summary>
    private CounterExtras Extras => Volatile.Read(ref NameOrExtras) as CounterExtras ?? CreateExtras();

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
    public void Inc()
    {
        AddWhole(1);
        if (ActivitySlot is { } slot)
        {
            slot.RecordActivity(1);
        }
    }

    /// <summary>Adds one, with <paramref name="exemplar"/> (of value 1) as the series' latest exemplar.</summary>
    /// <exception cref="ArgumentException">The exemplar's labels are invalid or longer than 128 characters.</exception>
    public void Inc(Exemplar exemplar) => Inc(1d, exemplar);

    /// <summary>
    /// Adds <paramref name="amount"/> (finite, not negative), with <paramref name="exemplar"/> (of value
    /// <paramref name="amount"/>) as the series' latest exemplar. Nothing is added when either argument is refused.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The exemplar's labels are invalid or longer than 128 characters.</exception>
    public void Inc(double amount, Exemplar exemplar)
    {
        if (!(amount >= 0) || amount == double.PositiveInfinity)
        {
            Errors.NegativeIncrement(Metric, amount);
        }

        int size = exemplar.MeasureAndValidate(Metric);
        Add(amount);
        if (size != 0)
        {
            CounterExtras extras = Extras;
            (Volatile.Read(ref extras.Exemplar) ?? ExemplarSlot.GetOrCreate(ref extras.Exemplar, fromActivity: false)).Record(exemplar, size, amount);
        }
        else if (ActivitySlot is { } slot)
        {
            slot.RecordActivity(amount);
        }
    }

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

        Add(amount);
        if (ActivitySlot is { } slot)
        {
            slot.RecordActivity(amount);
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

        if (ActivitySlot is { } slot)
        {
            slot.RecordActivity(count);
        }
    }

    /// <summary>
    /// The integer and fractional parts, each summed over the stripes. The integer cells are unsigned totals; past
    /// <see cref="long.MaxValue"/> the excess moves to the fraction, and the fraction saturates at the largest double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal (long Whole, double Fraction) Read()
    {
        // Most series, read at every scrape: whole increments only, never contended, below 2^63. Read in line, so that
        // a scrape of many series pays no call for them.
        long whole = Volatile.Read(ref _whole);
        return whole >= 0 && Volatile.Read(ref NameOrExtras) is not CounterExtras && Volatile.Read(ref _stripes) is null
            ? (whole, 0)
            : ReadEveryCell();
    }

    /// <summary><see cref="Read"/> of a series with a fraction, stripes or a total past 2^63.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (long Whole, double Fraction) ReadEveryCell()
    {
        ulong whole = (ulong)Volatile.Read(ref _whole);
        double fraction = Volatile.Read(ref NameOrExtras) is CounterExtras extras ? Striping.ReadDouble(ref extras.FractionBits) : 0;
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

    /// <summary>
    /// Adds a checked amount: one to the (possibly striped) integer cell, other whole amounts where they cannot wrap,
    /// anything else to the fraction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(double amount)
    {
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWhole(long count)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            if (!Striping.AddAlone(ref _whole, count, ref _wholeSampler))
            {
                // The add has landed; the adds after it go to stripes.
                Striping.Publish(ref _stripes, StripeWidth);
            }

            return;
        }

        ref long stripe = ref Striping.Stripe(stripes, _stripeChoice);
        if (!Striping.AddAlone(ref Unsafe.Add(ref stripe, WholeSlot), count, ref Striping.Sampler(ref stripe, SamplerSlot)))
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
            if (Striping.TryAddDouble(ref Extras.FractionBits, amount))
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private CounterExtras CreateExtras()
    {
        object current = Volatile.Read(ref NameOrExtras);
        while (true)
        {
            if (current is CounterExtras extras)
            {
                return extras;
            }

            var created = new CounterExtras((string)current);
            object seen = Interlocked.CompareExchange(ref NameOrExtras, created, current);
            if (ReferenceEquals(seen, current))
            {
                return created;
            }

            current = seen;
        }
    }
}
