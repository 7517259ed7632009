using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Labels;

/// <summary>
/// A frozen index of a family's series by label values, read without a lock. Two open-addressing tables point into
/// one array of series: the first is keyed by the identity of the value strings (callers nearly always pass the same
/// instances: literals are interned, label values are usually cached), so that most lookups hash and compare
/// references without reading a character; the second is keyed by the text, for every other string.
/// <para>
/// A slot of either table holds the series' position plus one (zero is empty) and, in the bits the position does not
/// need, a few bits of its hash, so that a probe rarely loads a series that cannot match. The tables are at most
/// three quarters full, which keeps probes short for a little over ten bytes per series for both; a
/// <c>FrozenDictionary</c> per key kind cost about eighty, which mattered when the budget for a whole series is two
/// hundred.
/// </para>
/// <para>
/// The index never changes once built, except that a removed series' position in <see cref="Items"/> is set to null:
/// lookups then skip it as they would a mismatch, so removing series neither slows the lookup of the others nor
/// lengthens a probe. The table rebuilds the index, compacting the array, once enough positions are empty.
/// </para>
/// </summary>
internal sealed class SeriesIndex<TSeries>
    where TSeries : Series
{
    /// <summary>The index of a family without series.</summary>
    public static readonly SeriesIndex<TSeries> Empty = new([], 0, null);

    /// <summary>Up to this many series, an identity lookup compares them all rather than hash: fewer instructions.</summary>
    private const int ScanLimit = 8;

    private readonly uint[] _byIdentity;
    private readonly uint[] _byValue;
    private readonly int _positionBits;
    private readonly uint _positionMask;

    /// <summary>Indexes <paramref name="items"/>[0, <paramref name="count"/>), which has no gap, except <paramref name="skip"/>.</summary>
    public SeriesIndex(TSeries?[] items, int count, TSeries? skip)
    {
        Items = items;
        Count = count;
        _positionBits = 32 - BitOperations.LeadingZeroCount((uint)count);
        _positionMask = (uint)((1UL << _positionBits) - 1);
        int length = count + (count / 3) + 1;
        _byIdentity = new uint[length];
        _byValue = new uint[length];
        for (int position = 0; position < count; position++)
        {
            TSeries? series = items[position];
            if (series is not null && !ReferenceEquals(series, skip))
            {
                Insert(_byIdentity, IdentityHash(series.Key), position);
                Insert(_byValue, ValueHash(series.Key), position);
            }
        }
    }

    /// <summary>
    /// The series array the index points into: positions [0, <see cref="Count"/>) are the indexed ones (null once
    /// removed). The table appends past them while the array has room, so it is shared, not copied.
    /// </summary>
    public TSeries?[] Items { get; }

    /// <summary>How many positions of <see cref="Items"/> the index covers.</summary>
    public int Count { get; }

    /// <summary>The series whose values are these very string instances, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries? FindByIdentity(ReadOnlySpan<string> values)
    {
        if (Count <= ScanLimit)
        {
            return ScanByIdentity(values);
        }

        uint hash = IdentityHash(values);
        uint[] table = _byIdentity;
        uint tag = Tag(hash);
        uint at = Start(hash, table.Length);
        while (true)
        {
            uint slot = table[at];
            if (slot == 0)
            {
                return null;
            }

            if ((slot & ~_positionMask) == tag)
            {
                TSeries? series = Items[(int)(slot & _positionMask) - 1];
                if (series is not null && SameInstances(values, series.Key))
                {
                    return series;
                }
            }

            at = at + 1 == (uint)table.Length ? 0 : at + 1;
        }
    }

    /// <summary>The series whose values equal these, or null.</summary>
    public TSeries? FindByValue(ReadOnlySpan<string> values)
    {
        int position = PositionOf(values);
        return position < 0 ? null : Items[position];
    }

    /// <summary>The position in <see cref="Items"/> of the series whose values equal these, or -1.</summary>
    public int PositionOf(ReadOnlySpan<string> values)
    {
        uint hash = ValueHash(values);
        uint[] table = _byValue;
        uint tag = Tag(hash);
        uint at = Start(hash, table.Length);
        while (true)
        {
            uint slot = table[at];
            if (slot == 0)
            {
                return -1;
            }

            if ((slot & ~_positionMask) == tag)
            {
                int position = (int)(slot & _positionMask) - 1;
                TSeries? series = Items[position];
                if (series is not null && SameText(values, series.Key))
                {
                    return position;
                }
            }

            at = at + 1 == (uint)table.Length ? 0 : at + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TSeries? ScanByIdentity(ReadOnlySpan<string> values)
    {
        TSeries?[] items = Items;
        int count = Math.Min(Count, items.Length);
        for (int position = 0; position < count; position++)
        {
            TSeries? series = items[position];
            if (series is not null && SameInstances(values, series.Key))
            {
                return series;
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint IdentityHash(ReadOnlySpan<string> values)
    {
        uint hash = 2166136261;
        foreach (string value in values)
        {
            hash = uint.RotateLeft(hash * 0x9E3779B1u, 13) ^ (uint)RuntimeHelpers.GetHashCode(value);
        }

        return Spread(hash);
    }

    private static uint ValueHash(ReadOnlySpan<string> values)
    {
        uint hash = 2166136261;
        foreach (string value in values)
        {
            // Null only comes from a caller's mistake: it hashes, misses, and creation reports it.
            uint text = value is null ? 0 : (uint)string.GetHashCode(value.AsSpan());
            hash = uint.RotateLeft(hash * 0x9E3779B1u, 13) ^ text;
        }

        return Spread(hash);
    }

    /// <summary>
    /// A multiply by the golden ratio (Fibonacci hashing): every bit of the hash reaches the high bits, which pick the
    /// start; the low bits, which make the tag, are those of the value hashes themselves, already well spread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Spread(uint hash) => hash * 0x9E3779B1u;

    /// <summary>Maps the hash onto the table with a multiply (Lemire's reduction) instead of a division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Start(uint hash, int length) => (uint)(((ulong)hash * (uint)length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Tag(uint hash) => (hash << _positionBits) & ~_positionMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameInstances(ReadOnlySpan<string> values, string[] key)
    {
        if (values.Length != key.Length)
        {
            return false;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!ReferenceEquals(values[i], key[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameText(ReadOnlySpan<string> values, string[] key)
    {
        if (values.Length != key.Length)
        {
            return false;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!string.Equals(values[i], key[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void Insert(uint[] table, uint hash, int position)
    {
        uint at = Start(hash, table.Length);
        while (table[at] != 0)
        {
            at = at + 1 == (uint)table.Length ? 0 : at + 1;
        }

        table[at] = Tag(hash) | (uint)(position + 1);
    }
}
