using System.Runtime.CompilerServices;
using Aria.Metrics.Cells;

namespace Aria.Metrics;

/// <summary>
/// One histogram series. Each observation increments one non-cumulative bucket cell and adds to the sum; a scrape
/// accumulates the buckets as it reads them and takes the total as the count, so every scrape is self-consistent
/// (cumulative buckets never decrease and <c>+Inf</c> equals <c>_count</c>) while other threads keep observing.
/// The sum's compare-and-swap doubles as the contention detector that moves the series onto striped cells.
/// The series also keeps the time it was created (the start of its counts) and, once it has had one, the latest
/// exemplar of each bucket.
/// </summary>
public sealed class HistogramSeries : Series
{
    private readonly double[] _upperBounds;
    private readonly long[] _cells;
    private readonly int _stripeWidth;
    private long[]? _stripes;
    private HistogramExemplars? _exemplars;

    // Native buckets change how the series counts: all of its cells, classic ones included, live there (see
    // NativeHistogramCells), and the striped cells above stay unused.
    private readonly NativeHistogramCells? _native;

    internal HistogramSeries(string metric, string[] key, byte[] labelText, double[] upperBounds, bool exemplarsFromActivity, NativeHistogramSettings? native = null)
        : base(metric, key, labelText)
    {
        _upperBounds = upperBounds;
        CreatedTicks = DateTime.UtcNow.Ticks;
        if (native is not null)
        {
            _native = new NativeHistogramCells(upperBounds.Length + 1, native, CreatedTicks);
            _cells = [];
        }
        else
        {
            // Finite buckets, then +Inf, then the sum's bits.
            _cells = new long[upperBounds.Length + 2];
        }

        _stripeWidth = Striping.Width(upperBounds.Length + 2);
        if (exemplarsFromActivity)
        {
            _exemplars = new HistogramExemplars(upperBounds.Length + 1, fromActivity: true);
        }
    }

    /// <summary>When the series was created, in <see cref="DateTime"/> ticks (UTC): the start of its counts.</summary>
    internal long CreatedTicks { get; }

    /// <summary>The exemplar slots of the buckets, or null while the series has had no exemplar.</summary>
    internal HistogramExemplars? Exemplars => Volatile.Read(ref _exemplars);

    /// <summary>The native cells, or null for a series with classic buckets only.</summary>
    internal NativeHistogramCells? Native => _native;

    private int SumSlot => _upperBounds.Length + 1;

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
            for (int bucket = 0; bucket <= _upperBounds.Length; bucket++)
            {
                count += ReadBucket(bucket);
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
                    sum += Striping.ReadDouble(ref stripes[Striping.OffsetOf(stripe, _stripeWidth) + SumSlot]);
                }
            }

            return sum;
        }
    }

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
            (Volatile.Read(ref _exemplars) ?? HistogramExemplars.GetOrCreate(ref _exemplars, _upperBounds.Length + 1, fromActivity: false))
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

    /// <summary>The non-cumulative count of bucket <paramref name="bucket"/> (the last one being +Inf).</summary>
    internal long ReadBucket(int bucket)
    {
        if (_native is not null)
        {
            return _native.ClassicBucket(bucket);
        }

        long count = Volatile.Read(ref _cells[bucket]);
        long[]? stripes = Volatile.Read(ref _stripes);
        if (stripes is not null)
        {
            for (int stripe = 0; stripe < Striping.StripeCount; stripe++)
            {
                count += Volatile.Read(ref stripes[Striping.OffsetOf(stripe, _stripeWidth) + bucket]);
            }
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketIndex(double value)
    {
        double[] bounds = _upperBounds;
        if (bounds.Length <= 16)
        {
            int i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            return i;
        }

        int found = Array.BinarySearch(bounds, value);
        return found >= 0 ? found : ~found;
    }

    /// <summary>Counts an observation in the classic cells, or in the native cells of a series that has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordObservation(int bucket, double value, long count)
    {
        NativeHistogramCells? native = _native;
        if (native is null)
        {
            Record(bucket, count == 1 ? value : value * count, count);
        }
        else
        {
            native.Observe(value, bucket, count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record(int bucket, double sum, long count)
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            Interlocked.Add(ref _cells[bucket], count);
            if (Striping.TryAddDouble(ref _cells[SumSlot], sum))
            {
                return;
            }

            RecordSumContended(sum);
            return;
        }

        int offset = Striping.Offset(_stripeWidth);
        Interlocked.Add(ref stripes[offset + bucket], count);
        Striping.AddDouble(ref stripes[offset + SumSlot], sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordSumContended(double sum)
    {
        long[] stripes = Striping.Publish(ref _stripes, _stripeWidth);
        Striping.AddDouble(ref stripes[Striping.Offset(_stripeWidth) + SumSlot], sum);
    }
}
