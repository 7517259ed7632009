namespace Aria.Metrics.Labels;

/// <summary>
/// The series of a family as a scrape walks them: a prefix of the table's array, in creation order, skipping the
/// positions that removal or expiry emptied since the array was last compacted. A struct enumerator, so a scrape
/// allocates nothing.
/// </summary>
internal readonly struct SeriesView<TSeries>(TSeries?[] items, int count, LabelArena? labels = null)
    where TSeries : Series
{
    /// <summary>
    /// The label text of the series at <paramref name="position"/> of <see cref="Positions"/>: from the view's
    /// <see cref="LabelArena"/> when it has one, else from the series.
    /// </summary>
    public ReadOnlySpan<byte> LabelTextAt(int position, TSeries series) =>
        labels is not null && position < labels.Count ? labels.At(position) : series.LabelText;

    /// <summary>
    /// The labels of the series at <paramref name="position"/> of <see cref="Positions"/> in the encoding the view was
    /// made with; false when the view has no <see cref="LabelArena"/> (an unlabeled family).
    /// </summary>
    public bool TryLabelsAt(int position, out ReadOnlySpan<byte> encoded)
    {
        if (labels is not null && position < labels.Count)
        {
            encoded = labels.At(position);
            return true;
        }

        encoded = default;
        return false;
    }

    /// <summary>The positions, empty ones (null) included, for walks that index them; read each position once.</summary>
    public ReadOnlySpan<TSeries?> Positions => items.AsSpan(0, count);

    /// <summary>Whether any position holds a series: formats that leave out families without series ask it first.</summary>
    public bool HasAny
    {
        get
        {
            foreach (TSeries? series in Positions)
            {
                if (series is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public Enumerator GetEnumerator() => new(items, count);

    /// <summary>Walks the non-empty positions.</summary>
    public struct Enumerator(TSeries?[] items, int count)
    {
        private int _position = -1;
        private TSeries? _current;

        // Kept from MoveNext: the position may be emptied by a removal while the scrape is at it.
        public readonly TSeries Current => _current!;

        public bool MoveNext()
        {
            while (++_position < count)
            {
                _current = Volatile.Read(ref items[_position]);
                if (_current is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
