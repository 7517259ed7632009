using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One histogram series. Each observation increments one non-cumulative bucket cell and adds to the sum: two atomic
/// operations, the least that keeps the sum. A scrape accumulates the buckets as it reads them and takes the total as
/// the count, so every scrape is self-consistent (cumulative buckets never decrease and <c>+Inf</c> equals
/// <c>_count</c>) while other threads keep observing, without the extra atomic add per observation that
/// client_golang's hot/cold count pair costs. The sum's compare-and-swap doubles as the contention detector that
/// moves the series onto striped cells, and, once striped, as the collision detector that re-hashes the stripes.
/// <para>
/// Cell layout: one block of <see cref="SlotCount"/> longs, held unpadded in <see cref="_cells"/> and repeated in
/// every stripe of <see cref="_stripes"/> at the same slots:
/// <c>[0, buckets)</c> the finite buckets, <c>[buckets]</c> +Inf, <c>[buckets + 1]</c> the sum as double bits.
/// A further kind of sample (native buckets, exemplar slots) goes after the sum by raising <see cref="SlotCount"/>;
/// readers sum a slot over the block and every stripe with <see cref="ReadSlot"/>.
/// </para>
/// <para>
/// The series also keeps the time it was created (the start of its counts) and, once it has had one, the latest
/// exemplar of each bucket. A series with native buckets keeps all of its counts in <see cref="NativeHistogramCells"/>
/// instead (hot and cold halves, for scrapes that are consistent across classic and native parts); its striped cells
/// are not allocated.
/// </para>
/// </summary>
public sealed class HistogramSeries : Series
{
    /// <summary>Above this many padded bounds a binary search beats comparing them all four at a time.</summary>
    private const int VectorSearchLimit = 32;

    private readonly double[] _searchBounds;
    private readonly long[] _cells;
    private readonly int _buckets;

    /// <summary>Which bits of a thread's stack address pick its stripe (see <see cref="Striping.Stripe"/>).</summary>
    private int _stripeChoice;
    private long[]? _stripes;
    private HistogramExemplars? _exemplars;

    // Native buckets change how the series counts: all of its cells, classic ones included, live there (see
    // NativeHistogramCells), and the striped cells above stay unused.
    private readonly NativeHistogramCells? _native;

    internal HistogramSeries(string metric, string[] key, byte[] labelText, double[] searchBounds, int buckets, bool exemplarsFromActivity, NativeHistogramSettings? native = null)
        : base(metric, key, labelText)
    {
        _searchBounds = searchBounds;
        _buckets = buckets;
        CreatedTicks = DateTime.UtcNow.Ticks;
        if (native is not null)
        {
            _native = new NativeHistogramCells(buckets + 1, native, CreatedTicks);
            _cells = [];
        }
        else
        {
            _cells = new long[SlotCount];
        }

        _stripeChoice = Striping.FirstChoice(StripeWidth);
        if (exemplarsFromActivity)
        {
            _exemplars = new HistogramExemplars(buckets + 1, fromActivity: true);
        }
    }

    /// <summary>When the series was created, in <see cref="DateTime"/> ticks (UTC): the start of its counts.</summary>
    internal long CreatedTicks { get; }

    /// <summary>The exemplar slots of the buckets, or null while the series has had no exemplar.</summary>
    internal HistogramExemplars? Exemplars => Volatile.Read(ref _exemplars);

    /// <summary>The native cells, or null for a series with classic buckets only.</summary>
    internal NativeHistogramCells? Native => _native;

    /// <summary>The number of observations so far.</summary>
    public long Count
    {
        get
        {
            if (_native is not null)
            {
                return _native.Count;
            }

            long count = 0;
            for (int bucket = 0; bucket <= _buckets; bucket++)
            {
                count = Saturation.AddCount(count, ReadSlot(bucket));
            }

            return count;
        }
    }

    /// <summary>The sum of the observations so far.</summary>
    public double Sum
    {
        get
        {
            if (_native is not null)
            {
                return _native.Sum;
            }

            double sum = Striping.ReadDouble(ref _cells[SumSlot]);
            long[]? stripes = Volatile.Read(ref _stripes);
            if (stripes is not null)
            {
                for (int stripe = 0; stripe < Striping.StripeCount; stripe++)
                {
                    sum += Striping.ReadDouble(ref stripes[Striping.OffsetOf(stripe, StripeWidth) + SumSlot]);
                }
            }

            return Saturation.Finite(sum);
        }
    }

    /// <summary>Whether contention has moved this series onto stripes.</summary>
    internal bool IsStriped => Volatile.Read(ref _stripes) is not null;

    /// <summary>The finite buckets, +Inf and the sum.</summary>
    private int SlotCount => _buckets + 2;

    private int SumSlot => _buckets + 1;

    /// <summary>Longs from one stripe to the next; computed, not stored, to keep the series small.</summary>
    private int StripeWidth => Striping.Width(SlotCount);

    /// <summary>Records one observation, which must be a finite number.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(double value)
    {
        if (!double.IsFinite(value))
        {
            Errors.InvalidObservation(Metric, value);
        }

        int bucket = BucketIndex(value);
        RecordObservation(bucket, value, 1);
        if (_exemplars is { FromActivity: true } exemplars)
        {
            exemplars.RecordActivity(bucket, value);
        }
    }

    /// <summary>
    /// Records one observation with <paramref name="exemplar"/> as the latest exemplar of its bucket. Nothing is recorded
    /// when either argument is refused.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The exemplar's labels are invalid or longer than 128 characters.</exception>
    public void Observe(double value, Exemplar exemplar)
    {
        if (!double.IsFinite(value))
        {
            Errors.InvalidObservation(Metric, value);
        }

        int size = exemplar.MeasureAndValidate(Metric);
        int bucket = BucketIndex(value);
        RecordObservation(bucket, value, 1);
        if (size != 0)
        {
            (Volatile.Read(ref _exemplars) ?? HistogramExemplars.GetOrCreate(ref _exemplars, _buckets + 1, fromActivity: false))
                .Record(bucket, exemplar, size, value);
        }
        else if (_exemplars is { FromActivity: true } exemplars)
        {
            exemplars.RecordActivity(bucket, value);
        }
    }

    /// <summary>Records <paramref name="count"/> observations of the same <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite, or the count is negative.</exception>
    public void Observe(double value, long count)
    {
        if (!double.IsFinite(value))
        {
            Errors.InvalidObservation(Metric, value);
        }

        if (count <= 0)
        {
            if (count < 0)
            {
                Errors.NegativeObservationCount(Metric, count);
            }

            return;
        }

        int bucket = BucketIndex(value);
        RecordObservation(bucket, value, count);
        if (_exemplars is { FromActivity: true } exemplars)
        {
            exemplars.RecordActivity(bucket, value);
        }
    }

    /// <summary>Starts timing; disposing the timer observes the elapsed seconds on a monotonic clock.</summary>
    public HistogramTimer StartTimer() => new(this);

    /// <summary>
    /// The bounds as the bucket search reads them: the finite upper bounds, padded with +Inf to a whole number of
    /// four-double vectors (a finite value is never above +Inf, so the padding counts for nothing). Made once per
    /// family and shared by its series.
    /// </summary>
    internal static double[] SearchBounds(double[] upperBounds)
    {
        var padded = new double[(upperBounds.Length + 3) & ~3];
        upperBounds.CopyTo(padded, 0);
        padded.AsSpan(upperBounds.Length).Fill(double.PositiveInfinity);
        return padded;
    }

    /// <summary>The non-cumulative count of bucket <paramref name="bucket"/> (the last one being +Inf).</summary>
    internal long ReadBucket(int bucket) => _native is not null ? _native.ClassicBucket(bucket) : ReadSlot(bucket);

    /// <summary>One slot summed over the unpadded block and every stripe.</summary>
    private long ReadSlot(int slot)
    {
        long total = Volatile.Read(ref _cells[slot]);
        long[]? stripes = Volatile.Read(ref _stripes);
        if (stripes is not null)
        {
            for (int stripe = 0; stripe < Striping.StripeCount; stripe++)
            {
                total += Volatile.Read(ref stripes[Striping.OffsetOf(stripe, StripeWidth) + slot]);
            }
        }

        return total;
    }

    /// <summary>
    /// The bucket of a finite value: the number of bounds below it. Up to <see cref="VectorSearchLimit"/> bounds it
    /// compares all of them, four at a time and without a branch that depends on the value; a data-dependent linear
    /// search mispredicts on every change of bucket, which is most observations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketIndex(double value)
    {
        double[] bounds = _searchBounds;
        if (Vector256.IsHardwareAccelerated && bounds.Length <= VectorSearchLimit)
        {
            Vector256<double> observed = Vector256.Create(value);
            ref double first = ref MemoryMarshal.GetArrayDataReference(bounds);
            int below = 0;
            for (int i = 0; i < bounds.Length; i += 4)
            {
                Vector256<double> four = Vector256.LoadUnsafe(ref first, (nuint)i);
                below += BitOperations.PopCount(Vector256.GreaterThan(observed, four).ExtractMostSignificantBits());
            }

            return below;
        }

        int found = Array.BinarySearch(bounds, 0, _buckets, value);
        return found >= 0 ? found : ~found;
    }

    /// <summary>
    /// Counts observations in the classic cells, or in the native cells of a series that has them. Several at once go
    /// where their count saturates instead of wrapping, with the product clamped: it can overflow where each factor is
    /// finite, and an infinite term would make the sum NaN one day.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordObservation(int bucket, double value, long count)
    {
        NativeHistogramCells? native = _native;
        if (native is not null)
        {
            native.Observe(value, bucket, count);
        }
        else if (count == 1)
        {
            Record(bucket, value, 1);
        }
        else
        {
            RecordMany(bucket, Saturation.Finite(value * count), count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record(int bucket, double sum, long count)
    {
        // The bucket index is at most _buckets (the search counts finite bounds only), within every block: no bounds checks.
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            ref long cells = ref MemoryMarshal.GetArrayDataReference(_cells);
            Interlocked.Add(ref Unsafe.Add(ref cells, bucket), count);
            if (!Striping.TryAddDouble(ref Unsafe.Add(ref cells, SumSlot), sum))
            {
                RecordSumContended(sum);
            }

            return;
        }

        ref long stripe = ref Striping.Stripe(stripes, _stripeChoice);
        Interlocked.Add(ref Unsafe.Add(ref stripe, bucket), count);
        ref long sumBits = ref Unsafe.Add(ref stripe, SumSlot);
        if (!Striping.TryAddDouble(ref sumBits, sum))
        {
            RecordSumCollided(stripes, ref sumBits, sum);
        }
    }

    /// <summary>
    /// Records several observations at once in the base cells, where the bucket's count saturates at 2^63 rather than
    /// wrap; the striped cells only ever take single observations, which cannot make a cell wrap in centuries.
    /// </summary>
    private void RecordMany(int bucket, double sum, long count)
    {
        Saturation.TryAddBelowCap(ref _cells[bucket], count);
        Striping.AddDouble(ref _cells[SumSlot], sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordSumContended(double sum)
    {
        long[] stripes = Striping.Publish(ref _stripes, StripeWidth);
        Striping.AddDouble(ref Unsafe.Add(ref Striping.Stripe(stripes, _stripeChoice), SumSlot), sum);
    }

    /// <summary>
    /// After two threads met on one stripe's sum: moves this series to other stripes, then adds. Its own method so
    /// that the hot path never takes the choice's address: taken there, the JIT kept it across the adds in a stack
    /// slot, a store per observation.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordSumCollided(long[] stripes, ref long sumBits, double sum)
    {
        Striping.Rehash(ref _stripeChoice, stripes);
        Striping.AddDouble(ref sumBits, sum);
    }
}
