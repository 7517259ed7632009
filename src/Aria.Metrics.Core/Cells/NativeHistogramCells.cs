namespace Aria.Metrics.Cells;

/// <summary>
/// The cells of a histogram series with native buckets, after client_golang's hot and cold counts. Everything an
/// observation touches (classic bucket, sum, zero bucket or native bucket, count) lives in two halves. One 64-bit word
/// holds the index of the hot half in its top bit and the number of observations started below it: an observer adds
/// to it (which picks the hot half), records into that half, and adds to the half's count last. A scrape flips the top
/// bit, waits until the now cold half's count equals the observations started (every observer that picked it has
/// finished), reads that quiescent half, then moves it into the hot one. So observers take no lock, and every scrape
/// sees one consistent set of observations: count, sum, classic buckets and native buckets agree.
/// <para>
/// The number of native buckets is bounded as client_golang bounds it: past the limit, reset the series if the minimum
/// reset duration has passed since the last reset; otherwise widen the zero bucket to swallow the bucket closest to
/// zero (up to the maximum zero threshold), and else halve the resolution (down to schema -4), and schedule a reset for
/// when the minimum duration will have passed, which restores the configured resolution. The scheduled reset happens at
/// the first scrape after that time. These steps take the series' lock, which scrapes take too; observers never do.
/// </para>
/// </summary>
internal sealed class NativeHistogramCells
{
    private const long HotBit = long.MinValue;
    private const long StartedMask = long.MaxValue;

    /// <summary>
    /// The most observations a series counts between resets: observations of several at once stop here, leaving room
    /// below the hot bit for 2^62 single ones (centuries of calls), so that no count can reach the hot bit or wrap.
    /// </summary>
    internal const long CountCap = 1L << 62;

    private readonly NativeCounts[] _halves;
    private readonly NativeHistogramSettings _settings;
    private readonly Lock _gate = new();
    private long _countAndHotIndex;
    private long _lastResetTicks;
    private long _resetDueTicks;

    public NativeHistogramCells(int classicBuckets, NativeHistogramSettings settings, long createdTicks)
    {
        _settings = settings;
        _halves =
        [
            new NativeCounts(classicBuckets, settings.Schema, settings.ZeroThreshold),
            new NativeCounts(classicBuckets, settings.Schema, settings.ZeroThreshold),
        ];
        _lastResetTicks = createdTicks;
    }

    /// <summary>When the counts started: the series' creation, or its last reset.</summary>
    public long StartTicks => Volatile.Read(ref _lastResetTicks);

    /// <summary>Observations so far (both halves; exact between scrapes).</summary>
    public long Count => Volatile.Read(ref _halves[0].Count) + Volatile.Read(ref _halves[1].Count);

    /// <summary>The sum so far (both halves), its infinities clamped to the largest finite doubles.</summary>
    public double Sum => Saturation.Finite(BitConverter.Int64BitsToDouble(Volatile.Read(ref _halves[0].SumBits)) + BitConverter.Int64BitsToDouble(Volatile.Read(ref _halves[1].SumBits)));

    /// <summary>The non-cumulative count of classic bucket <paramref name="bucket"/> (both halves).</summary>
    public long ClassicBucket(int bucket) => Volatile.Read(ref _halves[0].Classic[bucket]) + Volatile.Read(ref _halves[1].Classic[bucket]);

    /// <summary>
    /// Records <paramref name="count"/> observations of <paramref name="value"/>, whose classic bucket is
    /// <paramref name="classicBucket"/>. Several at once are cut to what keeps the series' count at or below
    /// <see cref="CountCap"/>: every count of the series then saturates there instead of wrapping negative.
    /// </summary>
    public void Observe(double value, int classicBucket, long count)
    {
        long started = count == 1 ? Interlocked.Increment(ref _countAndHotIndex) : StartMany(ref count);
        if (count == 0)
        {
            return;
        }

        NativeCounts hot = _halves[(int)((ulong)started >> 63)];
        if (hot.Observe(value, classicBucket, count) && _settings.MaxBuckets > 0 && Volatile.Read(ref hot.PopulatedBuckets) > _settings.MaxBuckets)
        {
            LimitBuckets(value, classicBucket, count);
        }
    }

    /// <summary>Claims up to <paramref name="count"/> observations below <see cref="CountCap"/>; cuts the count to those claimed.</summary>
    private long StartMany(ref long count)
    {
        long word = Volatile.Read(ref _countAndHotIndex);
        while (true)
        {
            long room = Math.Max(0, CountCap - (word & StartedMask));
            long claimed = Math.Min(count, room);
            if (claimed == 0)
            {
                count = 0;
                return word;
            }

            long seen = Interlocked.CompareExchange(ref _countAndHotIndex, word + claimed, word);
            if (seen == word)
            {
                count = claimed;
                return word + claimed;
            }

            word = seen;
        }
    }

    /// <summary>
    /// Takes the series' lock, flips the halves and waits for the cold one to be quiescent; the returned reading reads
    /// it, and disposing the reading moves it into the hot half and releases the lock.
    /// </summary>
    public NativeHistogramReading Read()
    {
        _gate.Enter();
        try
        {
            long now = DateTime.UtcNow.Ticks;
            if (_resetDueTicks != 0 && now >= _resetDueTicks)
            {
                long word = Volatile.Read(ref _countAndHotIndex);
                int hotIndex = (int)((ulong)word >> 63);
                Reset(_halves[hotIndex], _halves[1 - hotIndex], hotIndex, now, replay: null);
            }

            (NativeCounts hot, NativeCounts cold) = Flip();
            return new NativeHistogramReading(this, hot, cold);
        }
        catch
        {
            _gate.Exit();
            throw;
        }
    }

    /// <summary>Ends a reading: the cold half goes into the hot one, and the lock is released.</summary>
    internal void EndRead(NativeCounts hot, NativeCounts cold)
    {
        try
        {
            cold.MoveInto(hot, halvings: 0, zeroUpTo: int.MinValue);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Flips the hot bit and waits until every observer of the now cold half has finished.</summary>
    private (NativeCounts Hot, NativeCounts Cold) Flip()
    {
        long word = Interlocked.Add(ref _countAndHotIndex, HotBit);
        NativeCounts hot = _halves[(int)((ulong)word >> 63)];
        NativeCounts cold = _halves[1 - (int)((ulong)word >> 63)];
        WaitForCooldown(cold, word & StartedMask);
        return (hot, cold);
    }

    private static void WaitForCooldown(NativeCounts half, long started)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref half.Count) != started)
        {
            spinner.SpinOnce();
        }
    }

    private void LimitBuckets(double value, int classicBucket, long count)
    {
        lock (_gate)
        {
            // The halves may have flipped before the lock was ours: check the hot half as it is now.
            long word = Volatile.Read(ref _countAndHotIndex);
            int hotIndex = (int)((ulong)word >> 63);
            NativeCounts hot = _halves[hotIndex];
            NativeCounts cold = _halves[1 - hotIndex];
            if (Volatile.Read(ref hot.PopulatedBuckets) <= _settings.MaxBuckets)
            {
                return;
            }

            if (ResetIfDue(hot, cold, hotIndex, value, classicBucket, count))
            {
                return;
            }

            ScheduleReset();
            if (!WidenZeroBucket(hot, cold))
            {
                HalveResolution(hot, cold);
            }
        }
    }

    /// <summary>Resets the whole series when the minimum reset duration has passed, replaying the observation that hit the limit.</summary>
    private bool ResetIfDue(NativeCounts hot, NativeCounts cold, int hotIndex, double value, int classicBucket, long count)
    {
        long now = DateTime.UtcNow.Ticks;
        if (_settings.MinResetDuration <= TimeSpan.Zero || now - _lastResetTicks < _settings.MinResetDuration.Ticks)
        {
            return false;
        }

        Reset(hot, cold, hotIndex, now, replay: (value, classicBucket, count));
        return true;
    }

    /// <summary>
    /// Starts the series over: the cold half, cleared and back at the configured resolution (with the replayed
    /// observation, if any), becomes the hot one; the former hot half is cleared once its observers have finished.
    /// </summary>
    private void Reset(NativeCounts hot, NativeCounts cold, int hotIndex, long now, (double Value, int ClassicBucket, long Count)? replay)
    {
        Restore(cold);
        long started = 0;
        if (replay is var (value, classicBucket, count))
        {
            cold.Observe(value, classicBucket, count);
            started = count;
        }

        long word = Interlocked.Exchange(ref _countAndHotIndex, ((long)(1 - hotIndex) << 63) | started);
        WaitForCooldown(hot, word & StartedMask);
        Restore(hot);
        Volatile.Write(ref _lastResetTicks, now);
        _resetDueTicks = 0;
    }

    private void Restore(NativeCounts half)
    {
        half.Clear();
        Volatile.Write(ref half.Schema, _settings.Schema);
        Volatile.Write(ref half.ZeroThresholdBits, BitConverter.DoubleToInt64Bits(_settings.ZeroThreshold));
    }

    /// <summary>Once the resolution has been lowered, a reset is due when the minimum reset duration has passed.</summary>
    private void ScheduleReset()
    {
        if (_settings.MinResetDuration > TimeSpan.Zero && _resetDueTicks == 0)
        {
            _resetDueTicks = _lastResetTicks + _settings.MinResetDuration.Ticks;
        }
    }

    /// <summary>
    /// Widens the zero bucket to the upper bound of the populated bucket closest to zero, which it then swallows; false
    /// when that would pass the maximum zero threshold.
    /// </summary>
    private bool WidenZeroBucket(NativeCounts hot, NativeCounts cold)
    {
        if (hot.ZeroThreshold >= _settings.MaxZeroThreshold)
        {
            return false;
        }

        int? positive = hot.Positive.SmallestKey();
        int? negative = hot.Negative.SmallestKey();
        int? smallest = positive is null ? negative : negative is null ? positive : Math.Min(positive.Value, negative.Value);
        if (smallest is null)
        {
            return false;
        }

        int schema = Volatile.Read(ref hot.Schema);
        double threshold = NativeSchema.UpperBound(smallest.Value, schema);
        if (threshold > _settings.MaxZeroThreshold)
        {
            return false;
        }

        // The cold half is empty and quiescent: it takes the new threshold and becomes the hot one.
        Volatile.Write(ref cold.ZeroThresholdBits, BitConverter.DoubleToInt64Bits(threshold));
        (NativeCounts newHot, NativeCounts newCold) = Flip();
        newCold.MoveInto(newHot, halvings: 0, zeroUpTo: smallest.Value);
        Volatile.Write(ref newCold.ZeroThresholdBits, BitConverter.DoubleToInt64Bits(threshold));
        return true;
    }

    /// <summary>Halves the resolution (schema minus one, two buckets into one), down to the coarsest schema.</summary>
    private void HalveResolution(NativeCounts hot, NativeCounts cold)
    {
        int schema = Volatile.Read(ref hot.Schema);
        if (schema <= NativeSchema.Min)
        {
            return;
        }

        Volatile.Write(ref cold.Schema, schema - 1);
        (NativeCounts newHot, NativeCounts newCold) = Flip();
        newCold.MoveInto(newHot, halvings: 1, zeroUpTo: int.MinValue);
        Volatile.Write(ref newCold.Schema, schema - 1);
    }
}
