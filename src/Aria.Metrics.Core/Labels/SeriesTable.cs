using System.Runtime.CompilerServices;

namespace Aria.Metrics.Labels;

/// <summary>
/// The series of one labeled family, interned by label values, bounded by the family's series limit, and removable.
/// <para>
/// Lookups: known series are answered from a frozen <see cref="SeriesIndex{TSeries}"/> without a lock. A new series
/// takes the lock and waits in a pending dictionary; the index is rebuilt (O(N)) only once pending series have been
/// looked up at least a quarter as many times as the index holds series (and at least 64 times), so a burst that
/// creates N series costs amortised O(1) each, and the lookups that pay for a rebuild outnumber the series it copies.
/// </para>
/// <para>
/// The limit: at most <see cref="ISeriesOwner{TSeries}.SeriesLimit"/> series are attached, one of them the overflow
/// series that takes every measurement whose label set found no room. Once the table is full it rebuilds its index
/// so that nothing is pending and sets a flag: from then on a lookup of a new label set misses the index and is sent
/// to the overflow series without taking the lock or allocating.
/// </para>
/// <para>
/// Removal and expiry detach a series: its position in the array (and in the index's array, when they differ) is
/// set to null, so that scrapes skip it and lookups miss it; the array is compacted with the next rebuild, which
/// follows once a quarter of the positions are empty. A detached series is remembered only weakly, with a
/// fingerprint of its values: while anything still holds it, a lookup of its label set re-attaches it, and so does
/// a scrape that finds its fingerprint changed, so that an update through a kept handle is never lost. Once nothing
/// holds it, the garbage collector takes it and the table forgets it.
/// </para>
/// </summary>
internal sealed class SeriesTable<TSeries>
    where TSeries : Series
{
    private const int MinimumRebuild = 64;

    /// <summary>The stamp of a series expiry has not looked at yet.</summary>
    private const long Unseen = long.MinValue;

    private readonly ISeriesOwner<TSeries> _owner;
    private readonly Lock _gate = new();
    private readonly Dictionary<string[], TSeries> _pending = new(ValueKeyComparer.Instance);
    private Dictionary<string[], Detached>? _detached;
    private Detached _detachedOverflow;
    private SeriesIndex<TSeries> _index = SeriesIndex<TSeries>.Empty;
    private Entries _entries = new(new TSeries?[4], 0);

    // Expiry's view of each position of _entries.Items, kept only while the family expires series.
    private long[]? _fingerprints;
    private long[]? _stamps;

    private TSeries? _overflow;
    private LabelArena?[]? _labelArenas;
    private int _regular;
    private int _count;
    private int _holes;
    private int _pendingHits;
    private int _pruneDetachedAt = MinimumRebuild;
    private volatile bool _full;

    public SeriesTable(ISeriesOwner<TSeries> owner) => _owner = owner;

    /// <summary>How many series are attached, the overflow series included.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The attached series, in creation order: a stable order for the exposition.</summary>
    public SeriesView<TSeries> Series
    {
        get
        {
            Entries entries = Volatile.Read(ref _entries);
            return new(entries.Items, Volatile.Read(ref entries.Count));
        }
    }

    /// <summary>
    /// <see cref="Series"/> with the labels of every position, in <paramref name="encoding"/>, in one
    /// <see cref="LabelArena"/>; the arena is made again only when the positions changed since the last call.
    /// </summary>
    public SeriesView<TSeries> SeriesWithLabels(LabelEncoding encoding)
    {
        Entries entries = Volatile.Read(ref _entries);
        int count = Volatile.Read(ref entries.Count);
        LabelArena?[] arenas = Volatile.Read(ref _labelArenas) ?? CreateLabelArenas();
        LabelArena? arena = Volatile.Read(ref arenas[encoding.Slot]);
        if (arena is null || !ReferenceEquals(arena.Positions, entries.Items) || arena.Count != count)
        {
            arena = LabelArena.Of(entries.Items, count, encoding);
            Volatile.Write(ref arenas[encoding.Slot], arena);
        }

        return new(entries.Items, count, arena);
    }

    /// <summary>The attached overflow series, or null.</summary>
    public TSeries? Overflow => Volatile.Read(ref _overflow);

    /// <summary>The series with these label values, created on first use, or the overflow series when the limit refuses it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries GetOrAdd(ReadOnlySpan<string> labelValues) =>
        Volatile.Read(ref _index).FindByIdentity(labelValues) ?? GetOrAddSlow(labelValues);

    /// <summary>Detaches the series with these label values; false when there is none.</summary>
    public bool Remove(ReadOnlySpan<string> labelValues)
    {
        lock (_gate)
        {
            int position = _index.PositionOf(labelValues);
            if (position < 0 && _pending.GetAlternateLookup<ReadOnlySpan<string>>().TryGetValue(labelValues, out TSeries? pending))
            {
                position = Array.IndexOf(_entries.Items, pending, _index.Count, _entries.Count - _index.Count);
            }

            if (position < 0)
            {
                return false;
            }

            Detach(position);
            AfterDetaching();
            return true;
        }
    }

    /// <summary>Detaches every series, the overflow series included.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Entries entries = _entries;
            for (int position = 0; position < entries.Count; position++)
            {
                if (entries.Items[position] is not null)
                {
                    Detach(position);
                }
            }

            Rebuild();
            PruneDetached();
        }
    }

    /// <summary>The limit may have risen: the next lookup of a new label set looks for room again.</summary>
    public void LimitChanged() => _full = false;

    /// <summary>
    /// Scrape-time upkeep, before the family is written: re-attaches detached series that were updated through a
    /// kept handle, expires series whose fingerprint has not changed for the expiry time, and compacts. Allocates
    /// nothing unless a series is detached or re-attached.
    /// </summary>
    public void Maintain()
    {
        long expiry = _owner.ExpiryTimestamps;
        if (expiry == 0 && _stamps is null && _detached is not { Count: > 0 } && _detachedOverflow.Series is null)
        {
            return;
        }

        lock (_gate)
        {
            ReattachUpdated();
            if (expiry == 0)
            {
                _fingerprints = null;
                _stamps = null;
            }
            else
            {
                Expire(expiry, _owner.Now);
            }

            AfterDetaching();
        }
    }

    private LabelArena?[] CreateLabelArenas() =>
        Interlocked.CompareExchange(ref _labelArenas, new LabelArena?[LabelEncoding.Slots], null) ?? _labelArenas;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TSeries GetOrAddSlow(ReadOnlySpan<string> labelValues)
    {
        // The flag first: an index read after the flag is at least the one published before the flag was set, and
        // while the table is full that index holds every attached series, so a miss there is a label set without room.
        bool full = _full;
        TSeries? series = Volatile.Read(ref _index).FindByValue(labelValues);
        if (series is not null)
        {
            return series;
        }

        if (!full)
        {
            lock (_gate)
            {
                series = GetOrAddLocked(labelValues);
            }

            if (series is not null)
            {
                return series;
            }
        }

        TSeries overflow = Volatile.Read(ref _overflow) ?? AttachOverflow();
        _owner.OnRefused();
        return overflow;
    }

    /// <summary>The series, found, re-attached or created; null when the limit leaves no room for it.</summary>
    private TSeries? GetOrAddLocked(ReadOnlySpan<string> labelValues)
    {
        SeriesIndex<TSeries> index = _index;
        TSeries? series = index.FindByValue(labelValues);
        if (series is not null)
        {
            return series;
        }

        if (_pending.GetAlternateLookup<ReadOnlySpan<string>>().TryGetValue(labelValues, out series))
        {
            if (++_pendingHits >= Math.Max(MinimumRebuild, index.Count / 4))
            {
                Rebuild();
            }

            return series;
        }

        // One place is kept for the overflow series, so that creating it never takes the family past its limit.
        bool room = _regular < _owner.SeriesLimit - 1;
        if (_detached is not null)
        {
            Dictionary<string[], Detached>.AlternateLookup<ReadOnlySpan<string>> detached = _detached.GetAlternateLookup<ReadOnlySpan<string>>();
            if (detached.TryGetValue(labelValues, out Detached entry))
            {
                if (!entry.Series!.TryGetTarget(out series))
                {
                    detached.Remove(labelValues);
                }
                else if (room)
                {
                    detached.Remove(labelValues);
                    Attach(series);
                    return series;
                }
            }
        }

        if (!room)
        {
            if (_pending.Count != 0)
            {
                Rebuild();
            }

            _full = true;
            return null;
        }

        series = _owner.CreateSeries(labelValues);
        Attach(series);
        return series;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TSeries AttachOverflow()
    {
        lock (_gate)
        {
            if (_overflow is null)
            {
                TSeries? overflow = null;
                _detachedOverflow.Series?.TryGetTarget(out overflow);
                _detachedOverflow = default;
                AttachAsOverflow(overflow ?? _owner.CreateOverflowSeries());
            }

            return _overflow!;
        }
    }

    private void AttachAsOverflow(TSeries overflow)
    {
        Append(overflow);
        Volatile.Write(ref _overflow, overflow);
        Volatile.Write(ref _count, _count + 1);
    }

    private void Attach(TSeries series)
    {
        // A pending series is not in the index: lookups must take the lock again to find it.
        _full = false;
        Append(series);
        _pending.Add(series.Key, series);
        _regular++;
        Volatile.Write(ref _count, _count + 1);
    }

    private void Append(TSeries series)
    {
        Entries entries = _entries;
        int count = entries.Count;
        if (count == entries.Items.Length)
        {
            // Positions stay where they were, so the index (which keeps the old array) still agrees with the new one.
            var items = new TSeries?[Math.Max(4, count * 2)];
            Array.Copy(entries.Items, items, count);
            ResizeExpiryState(items.Length);
            entries = new Entries(items, count);
            Volatile.Write(ref _entries, entries);
        }

        entries.Items[count] = series;
        if (_stamps is not null)
        {
            _stamps[count] = Unseen;
        }

        Volatile.Write(ref entries.Count, count + 1);
    }

    /// <summary>Empties a position and remembers its series weakly, with its fingerprint.</summary>
    private void Detach(int position)
    {
        Entries entries = _entries;
        TSeries series = entries.Items[position]!;
        Volatile.Write(ref entries.Items[position], null);
        SeriesIndex<TSeries> index = _index;
        if (position < index.Count)
        {
            Volatile.Write(ref index.Items[position], null);
        }
        else if (!ReferenceEquals(series, _overflow))
        {
            _pending.Remove(series.Key);
        }

        var remembered = new Detached(new WeakReference<TSeries>(series), _owner.Fingerprint(series));
        if (ReferenceEquals(series, _overflow))
        {
            Volatile.Write(ref _overflow, null);
            _detachedOverflow = remembered;
        }
        else
        {
            (_detached ??= new(ValueKeyComparer.Instance))[series.Key] = remembered;
            _regular--;
        }

        _holes++;
        _full = false;
        Volatile.Write(ref _count, _count - 1);
    }

    private void AfterDetaching()
    {
        if (_holes >= Math.Max(MinimumRebuild, _count / 4))
        {
            Rebuild();
        }

        if (_detached is not null && _detached.Count >= _pruneDetachedAt)
        {
            PruneDetached();
        }
    }

    /// <summary>Drops the detached series the garbage collector has taken; re-arms for when twice as many are remembered.</summary>
    private void PruneDetached()
    {
        if (_detached is null)
        {
            return;
        }

        foreach ((string[] key, Detached entry) in _detached)
        {
            if (!entry.Series!.TryGetTarget(out _))
            {
                _detached.Remove(key);
            }
        }

        _pruneDetachedAt = Math.Max(MinimumRebuild, 2 * _detached.Count);
    }

    private void ReattachUpdated()
    {
        if (_detached is not null)
        {
            foreach ((string[] key, Detached entry) in _detached)
            {
                if (!entry.Series!.TryGetTarget(out TSeries? series))
                {
                    _detached.Remove(key);
                }
                else if (_owner.Fingerprint(series) != entry.Fingerprint)
                {
                    // Updated through a handle kept across the removal: it comes back, even past the limit, which
                    // bounds the label sets a program asks for, not the handles it kept.
                    _detached.Remove(key);
                    Attach(series);
                }
            }
        }

        if (_detachedOverflow.Series is { } weak)
        {
            if (!weak.TryGetTarget(out TSeries? overflow))
            {
                _detachedOverflow = default;
            }
            else if (_overflow is null && _owner.Fingerprint(overflow) != _detachedOverflow.Fingerprint)
            {
                _detachedOverflow = default;
                AttachAsOverflow(overflow);
            }
        }
    }

    /// <summary>Detaches the series whose fingerprint has not changed for <paramref name="expiry"/> timestamps.</summary>
    private void Expire(long expiry, long now)
    {
        Entries entries = _entries;
        if (_stamps is null)
        {
            _fingerprints = new long[entries.Items.Length];
            _stamps = new long[entries.Items.Length];
            Array.Fill(_stamps, Unseen);
        }

        for (int position = 0; position < entries.Count; position++)
        {
            TSeries? series = entries.Items[position];
            if (series is null)
            {
                continue;
            }

            long fingerprint = _owner.Fingerprint(series);
            if (_stamps[position] == Unseen || fingerprint != _fingerprints![position])
            {
                _fingerprints![position] = fingerprint;
                _stamps[position] = now;
            }
            else if (now - _stamps[position] >= expiry)
            {
                Detach(position);
            }
        }
    }

    private void ResizeExpiryState(int length)
    {
        if (_stamps is not null)
        {
            Array.Resize(ref _stamps, length);
            Array.Resize(ref _fingerprints, length);
        }
    }

    /// <summary>Compacts the attached series into a new array, indexes them, and empties the pending dictionary.</summary>
    private void Rebuild()
    {
        Entries old = _entries;
        var items = new TSeries?[Math.Max(4, _count)];
        long[]? fingerprints = _stamps is null ? null : new long[items.Length];
        long[]? stamps = _stamps is null ? null : new long[items.Length];
        int count = 0;
        for (int position = 0; position < old.Count; position++)
        {
            TSeries? series = old.Items[position];
            if (series is null)
            {
                continue;
            }

            items[count] = series;
            if (stamps is not null)
            {
                fingerprints![count] = _fingerprints![position];
                stamps[count] = _stamps![position];
            }

            count++;
        }

        _fingerprints = fingerprints;
        _stamps = stamps;
        Volatile.Write(ref _entries, new Entries(items, count));
        Volatile.Write(ref _index, new SeriesIndex<TSeries>(items, count, _overflow));
        _pending.Clear();
        _pending.TrimExcess();
        _pendingHits = 0;
        _holes = 0;
    }

    /// <summary>
    /// The array scrapes walk and its count, replaced together when the array grows or is compacted. The count grows
    /// in place as series are appended under the lock; readers take it after the array, which then holds at least
    /// that many positions.
    /// </summary>
    private sealed class Entries(TSeries?[] items, int count)
    {
        public readonly TSeries?[] Items = items;
        public int Count = count;
    }

    /// <summary>A detached series, held weakly, and its fingerprint when it was detached.</summary>
    private readonly record struct Detached(WeakReference<TSeries>? Series, long Fingerprint);
}
