namespace Aria.Metrics.Cells;

/// <summary>
/// A scrape's view of a native histogram series: its quiescent cold half, consistent in itself (count, sum, classic and
/// native buckets are the same observations). Holds the series' lock; disposing it folds the half back and releases it,
/// so read it promptly and on one thread.
/// </summary>
internal ref struct NativeHistogramReading
{
    private readonly NativeHistogramCells _cells;
    private readonly NativeCounts _hot;
    private readonly NativeCounts _cold;
    private bool _ended;

    internal NativeHistogramReading(NativeHistogramCells cells, NativeCounts hot, NativeCounts cold)
    {
        _cells = cells;
        _hot = hot;
        _cold = cold;
        _ended = false;
    }

    /// <summary>Observations in the reading.</summary>
    public readonly long Count => Volatile.Read(ref _cold.Count);

    /// <summary>Their sum, its infinities clamped to the largest finite doubles.</summary>
    public readonly double Sum => Saturation.Finite(BitConverter.Int64BitsToDouble(Volatile.Read(ref _cold.SumBits)));

    /// <summary>The non-cumulative classic bucket counts, +Inf last.</summary>
    public readonly ReadOnlySpan<long> Classic => _cold.Classic;

    /// <summary>The schema of the native buckets.</summary>
    public readonly int Schema => Volatile.Read(ref _cold.Schema);

    /// <summary>The zero bucket's half-width.</summary>
    public readonly double ZeroThreshold => _cold.ZeroThreshold;

    /// <summary>Observations in the zero bucket.</summary>
    public readonly long ZeroCount => Volatile.Read(ref _cold.ZeroCount);

    /// <summary>The populated positive buckets, by ascending key.</summary>
    public readonly NativeBuckets.Cursor Positive => _cold.Positive.GetCursor();

    /// <summary>The populated negative buckets, by ascending key of their magnitude.</summary>
    public readonly NativeBuckets.Cursor Negative => _cold.Negative.GetCursor();

    /// <summary>When the counts started: the series' creation or its last reset.</summary>
    public readonly long StartTicks => _cells.StartTicks;

    /// <summary>Folds the half back into the series and releases its lock.</summary>
    public void Dispose()
    {
        if (!_ended)
        {
            _ended = true;
            _cells.EndRead(_hot, _cold);
        }
    }
}
