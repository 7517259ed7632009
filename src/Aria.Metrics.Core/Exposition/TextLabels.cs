using Aria.Metrics.Labels;

namespace Aria.Metrics.Exposition;

/// <summary>The text formats' labels: the series' own label text, escaped and encoded when the series was created.</summary>
internal sealed class TextLabels : LabelEncoding
{
    /// <summary>The encoding; it has no state.</summary>
    public static readonly TextLabels Instance = new();

    private TextLabels()
    {
    }

    public override int Slot => 0;

    public override int LengthOf(Series series) => series.LabelText.Length;

    public override void Write(Series series, Span<byte> destination) => series.LabelText.CopyTo(destination);
}
