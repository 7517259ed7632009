namespace Aria.Metrics.Labels;

/// <summary>
/// The labels of a table's positions in one format's encoding (<see cref="LabelEncoding"/>), end to end in one array,
/// so that a scrape reads them in order instead of from one small array per series scattered over the heap (text), or
/// encodes nothing (protobuf). With 100k series, the scattered arrays cost a cache and TLB miss each, as much as
/// formatting the line. Made at a scrape when the positions changed since the last one (a new array or more
/// positions), so a steady-state scrape allocates nothing.
/// <para>
/// It stays right for its array: a position is written once with a series and may later be emptied, never refilled
/// (a refill is a new array), so the labels kept for a position are those of whatever series it still holds.
/// </para>
/// </summary>
internal sealed class LabelArena
{
    private readonly byte[] _bytes;
    private readonly int[] _ends;

    private LabelArena(object positions, int count, byte[] bytes, int[] ends)
    {
        Positions = positions;
        Count = count;
        _bytes = bytes;
        _ends = ends;
    }

    /// <summary>The positions array described.</summary>
    public object Positions { get; }

    /// <summary>How many positions, from the first, are described.</summary>
    public int Count { get; }

    /// <summary>An arena of the first <paramref name="count"/> of <paramref name="positions"/>; empty ones have no labels.</summary>
    public static LabelArena Of<TSeries>(TSeries?[] positions, int count, LabelEncoding encoding)
        where TSeries : Series
    {
        var ends = new int[count];
        int length = 0;
        for (int i = 0; i < count; i++)
        {
            length += positions[i] is { } series ? encoding.LengthOf(series) : 0;
            ends[i] = length;
        }

        var bytes = new byte[length];
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            // A position emptied between the two loops keeps the room its labels were given.
            if (positions[i] is { } series)
            {
                encoding.Write(series, bytes.AsSpan(start, ends[i] - start));
            }

            start = ends[i];
        }

        return new LabelArena(positions, count, bytes, ends);
    }

    /// <summary>The labels of position <paramref name="position"/>, below <see cref="Count"/>.</summary>
    public ReadOnlySpan<byte> At(int position)
    {
        int start = position == 0 ? 0 : _ends[position - 1];
        return _bytes.AsSpan(start, _ends[position] - start);
    }
}
