using System.Runtime.CompilerServices;

namespace Aria.Metrics.Meters;

/// <summary>
/// The series of one bridged instrument, found from a measurement's tag span without a lock, an allocation or a
/// second hash of any tag. Each entry holds the tag values it was made from, in the family's label order, and its
/// series. Two open-addressing tables point at the entries: one keyed by the identity of the values (call sites pass
/// the same string instances, so that a lookup compares references and reads no character), one by their value, for
/// equal values in new instances (a boxed status code, a string built per call). Readers never wait: an entry is
/// complete before it is published into a slot, and a table that must grow is copied and swapped whole.
/// <para>
/// Entries are added under a lock by the slow path, which creates the series. Measurements sent to the family's
/// overflow series get no entry, so label sets past the series limit cannot grow the index; and once the index holds
/// <see cref="MaxEntries"/> it starts again empty, which bounds it when series come and go for the life of a process.
/// </para>
/// </summary>
internal sealed class TagIndex<TSeries>
    where TSeries : class
{
    /// <summary>Up to this many entries, a lookup compares them all by identity rather than hash: fewer instructions.</summary>
    private const int ScanLimit = 8;

    private readonly Lock _gate = new();
    private Table _table = new(8);

    public TagIndex(int maxEntries) => MaxEntries = maxEntries;

    /// <summary>The most entries kept before the index starts again empty.</summary>
    public int MaxEntries { get; }

    /// <summary>How many entries the index holds.</summary>
    public int Count => Volatile.Read(ref _table).Count;

    /// <summary>The series of these tags, or null when the index has no entry for them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags, int[] tagOfLabel)
    {
        Table table = Volatile.Read(ref _table);
        int count = table.Count;
        if (count <= ScanLimit)
        {
            Entry?[] list = table.List;
            for (int i = 0; i < count; i++)
            {
                Entry entry = list[i]!;
                if (entry.SameInstances(tags, tagOfLabel))
                {
                    return entry.Series;
                }
            }

            return FindByValue(table, tags, tagOfLabel);
        }

        uint hash = IdentityHash(tags, tagOfLabel);
        Entry?[] slots = table.ByIdentity;
        uint mask = (uint)slots.Length - 1;
        for (uint at = hash & mask; slots[at] is { } entry; at = (at + 1) & mask)
        {
            if (entry.IdentityHash == hash && entry.SameInstances(tags, tagOfLabel))
            {
                return entry.Series;
            }
        }

        return FindByValue(table, tags, tagOfLabel);
    }

    /// <summary>Adds an entry for these tags; the caller has found none and holds the only reference to <paramref name="values"/>.</summary>
    public void Add(object?[] values, TSeries series)
    {
        var entry = new Entry(values, IdentityHash(values), ValueHash(values), series);
        lock (_gate)
        {
            Table table = _table;
            if (table.Count >= MaxEntries)
            {
                table = new Table(8);
            }
            else if ((table.Count + 1) * 2 > table.ByIdentity.Length)
            {
                table = table.Grown();
            }

            table.Insert(entry);
            Volatile.Write(ref _table, table);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TSeries? FindByValue(Table table, ReadOnlySpan<KeyValuePair<string, object?>> tags, int[] tagOfLabel)
    {
        uint hash = ValueHash(tags, tagOfLabel);
        Entry?[] slots = table.ByValue;
        uint mask = (uint)slots.Length - 1;
        for (uint at = hash & mask; slots[at] is { } entry; at = (at + 1) & mask)
        {
            if (entry.ValueHash == hash && entry.EqualValues(tags, tagOfLabel))
            {
                return entry.Series;
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint IdentityHash(ReadOnlySpan<KeyValuePair<string, object?>> tags, int[] tagOfLabel)
    {
        uint hash = 2166136261;
        foreach (int tag in tagOfLabel)
        {
            object? value = tag < 0 ? null : tags[tag].Value;
            hash = Mix(hash, (uint)RuntimeHelpers.GetHashCode(value));
        }

        return hash;
    }

    private static uint IdentityHash(object?[] values)
    {
        uint hash = 2166136261;
        foreach (object? value in values)
        {
            hash = Mix(hash, (uint)RuntimeHelpers.GetHashCode(value));
        }

        return hash;
    }

    private static uint ValueHash(ReadOnlySpan<KeyValuePair<string, object?>> tags, int[] tagOfLabel)
    {
        uint hash = 2166136261;
        foreach (int tag in tagOfLabel)
        {
            hash = Mix(hash, HashOf(tag < 0 ? null : tags[tag].Value));
        }

        return hash;
    }

    private static uint ValueHash(object?[] values)
    {
        uint hash = 2166136261;
        foreach (object? value in values)
        {
            hash = Mix(hash, HashOf(value));
        }

        return hash;
    }

    private static uint HashOf(object? value) => value switch
    {
        null => 0,
        string text => (uint)string.GetHashCode(text.AsSpan()),
        _ => (uint)value.GetHashCode(),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint hash, uint value)
    {
        // A multiply-rotate per value, then a final avalanche: the low bits pick the slot.
        hash = uint.RotateLeft((hash ^ value) * 0x9E3779B1u, 15);
        return hash ^ (hash >> 16);
    }

    private sealed class Entry(object?[] values, uint identityHash, uint valueHash, TSeries series)
    {
        public uint IdentityHash { get; } = identityHash;

        public uint ValueHash { get; } = valueHash;

        public TSeries Series { get; } = series;

        public object?[] Values { get; } = values;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool SameInstances(ReadOnlySpan<KeyValuePair<string, object?>> tags, int[] tagOfLabel)
        {
            object?[] values = Values;
            if (values.Length != tagOfLabel.Length)
            {
                return false;
            }

            for (int label = 0; label < values.Length; label++)
            {
                int tag = tagOfLabel[label];
                object? value = (uint)tag < (uint)tags.Length ? tags[tag].Value : null;
                if (!ReferenceEquals(values[label], value))
                {
                    return false;
                }
            }

            return true;
        }

        public bool EqualValues(ReadOnlySpan<KeyValuePair<string, object?>> tags, int[] tagOfLabel)
        {
            object?[] values = Values;
            for (int label = 0; label < values.Length; label++)
            {
                int tag = tagOfLabel[label];
                if (!Equals(values[label], tag < 0 ? null : tags[tag].Value))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Both tables at one size; a power of two at most half full, so that every probe ends at an empty slot.</summary>
    private sealed class Table(int capacity)
    {
        private int _count;

        public Entry?[] ByIdentity { get; } = new Entry?[capacity];

        public Entry?[] ByValue { get; } = new Entry?[capacity];

        /// <summary>The entries in the order they were added: what a small index scans.</summary>
        public Entry?[] List { get; } = new Entry?[(capacity / 2) + 1];

        /// <summary>How many entries <see cref="List"/> holds; each is complete before it counts.</summary>
        public int Count => Volatile.Read(ref _count);

        public Table Grown()
        {
            var grown = new Table(ByIdentity.Length * 2);
            for (int i = 0; i < _count; i++)
            {
                grown.Insert(List[i]!);
            }

            return grown;
        }

        /// <summary>Publishes the entry into a free slot of each table; a reader sees the slot empty or the entry whole.</summary>
        public void Insert(Entry entry)
        {
            Place(ByIdentity, entry.IdentityHash, entry);
            Place(ByValue, entry.ValueHash, entry);
            Volatile.Write(ref List[_count], entry);
            Volatile.Write(ref _count, _count + 1);
        }

        private static void Place(Entry?[] slots, uint hash, Entry entry)
        {
            uint mask = (uint)slots.Length - 1;
            uint at = hash & mask;
            while (slots[at] is not null)
            {
                at = (at + 1) & mask;
            }

            Volatile.Write(ref slots[at], entry);
        }
    }
}
