namespace Aria.Metrics.Labels;

/// <summary>
/// A format's bytes for a series' labels, which depend on the series alone and so can be made once and kept in a
/// <see cref="LabelArena"/>: the escaped label text of the text formats, the encoded label pairs of protobuf.
/// </summary>
internal abstract class LabelEncoding
{
    /// <summary>How many formats keep arenas: a table keeps one arena per format, so that two servers scraping a family in different formats do not rebuild each other's.</summary>
    public const int Slots = 2;

    /// <summary>Which of a table's arenas this encoding's is, below <see cref="Slots"/>.</summary>
    public abstract int Slot { get; }

    /// <summary>The length of <paramref name="series"/>' labels in this encoding.</summary>
    public abstract int LengthOf(Series series);

    /// <summary>Writes <paramref name="series"/>' labels, exactly <see cref="LengthOf"/> bytes.</summary>
    public abstract void Write(Series series, Span<byte> destination);
}
