using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Labels;

/// <summary>
/// The series of one labeled family, interned by label values. Known series are answered from frozen snapshots
/// without a lock: first by the identity of the value strings, then by their text. A new series takes the lock and
/// waits in a pending dictionary; the snapshots are rebuilt (O(N)) only once pending series have been looked up at
/// least a quarter as many times as the snapshot holds series (and at least 64 times). So a burst that creates N
/// series costs amortised O(1) each and no re-freeze at all, and the lookups that pay for a re-freeze outnumber
/// the series it copies.
/// </summary>
internal sealed class SeriesTable<TSeries>
    where TSeries : Series
{
    private const int MinimumRefreezeHits = 64;

    private readonly ISeriesFactory<TSeries> _factory;
    private readonly Lock _gate = new();
    private readonly Dictionary<string[], TSeries> _pending = new(ValueKeyComparer.Instance);
    private Snapshot _snapshot = Snapshot.Empty;
    private TSeries[] _ordered = new TSeries[4];
    private int _count;
    private int _pendingHits;

    public SeriesTable(ISeriesFactory<TSeries> factory) => _factory = factory;

    /// <summary>How many series exist.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Every series, in creation order: a stable order for the exposition.</summary>
    public ReadOnlySpan<TSeries> Series
    {
        get
        {
            // The count is read first: any array published after it holds at least that many series.
            int count = Volatile.Read(ref _count);
            return Volatile.Read(ref _ordered).AsSpan(0, count);
        }
    }

    /// <summary>The series with these label values, created on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries GetOrAdd(ReadOnlySpan<string> labelValues) =>
        Volatile.Read(ref _snapshot).ByIdentity.TryGetValue(labelValues, out TSeries? series)
            ? series
            : GetOrAddSlow(labelValues);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TSeries GetOrAddSlow(ReadOnlySpan<string> labelValues)
    {
        if (Volatile.Read(ref _snapshot).ByValue.TryGetValue(labelValues, out TSeries? series))
        {
            return series;
        }

        lock (_gate)
        {
            if (_snapshot.ByValue.TryGetValue(labelValues, out series))
            {
                return series;
            }

            if (_pending.GetAlternateLookup<ReadOnlySpan<string>>().TryGetValue(labelValues, out series))
            {
                if (++_pendingHits >= Math.Max(MinimumRefreezeHits, _snapshot.Count / 4))
                {
                    Refreeze();
                }

                return series;
            }

            // A new series is not frozen yet: a burst of creations must not pay a re-freeze each.
            series = _factory.CreateSeries(labelValues);
            Append(series);
            _pending.Add(series.Key, series);
            return series;
        }
    }

    private void Append(TSeries series)
    {
        TSeries[] ordered = _ordered;
        if (_count == ordered.Length)
        {
            Array.Resize(ref ordered, ordered.Length * 2);
            Volatile.Write(ref _ordered, ordered);
        }

        ordered[_count] = series;
        Volatile.Write(ref _count, _count + 1);
    }

    private void Refreeze()
    {
        var all = new KeyValuePair<string[], TSeries>[_count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = new(_ordered[i].Key, _ordered[i]);
        }

        Volatile.Write(ref _snapshot, new Snapshot(all));
        _pending.Clear();
        _pending.TrimExcess();
        _pendingHits = 0;
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        public Snapshot(KeyValuePair<string[], TSeries>[] series)
        {
            Count = series.Length;
            ByIdentity = series.ToFrozenDictionary(IdentityKeyComparer.Instance).GetAlternateLookup<ReadOnlySpan<string>>();
            ByValue = series.ToFrozenDictionary(ValueKeyComparer.Instance).GetAlternateLookup<ReadOnlySpan<string>>();
        }

        public int Count { get; }

        public FrozenDictionary<string[], TSeries>.AlternateLookup<ReadOnlySpan<string>> ByIdentity { get; }

        public FrozenDictionary<string[], TSeries>.AlternateLookup<ReadOnlySpan<string>> ByValue { get; }
    }
}
