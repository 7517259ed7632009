using System.Text;
using Aria.Metrics.Labels;
using static Aria.Metrics.Exposition.ProtobufFields;

namespace Aria.Metrics.Exposition;

/// <summary>
/// A family's label pairs in protobuf: one <c>Metric.label</c> field per label, each a <c>LabelPair</c> of the family's
/// pre-encoded name field and the series' value, UTF-8 encoded; the overflow series carries the overflow label alone.
/// Written into a <see cref="LabelArena"/> once per series rather than encoded from UTF-16 at every scrape, which was a
/// third of a protobuf scrape's time.
/// </summary>
internal sealed class ProtobufLabels(byte[][] names) : LabelEncoding
{
    private static readonly byte LabelTag = (byte)ProtobufBuffer.MessageTag(MetricLabel);
    private static readonly byte ValueTag = (byte)ProtobufBuffer.MessageTag(LabelValue);

    /// <summary>The overflow series' one <c>LabelPair</c>, as a <c>Metric.label</c> field.</summary>
    private static readonly byte[] OverflowLabel = EncodeOverflowLabel();

    public override int Slot => 1;

    public override int LengthOf(Series series) => series.IsOverflow ? OverflowLabel.Length : LengthOf(series.LabelValues);

    public override void Write(Series series, Span<byte> destination)
    {
        if (series.IsOverflow)
        {
            OverflowLabel.CopyTo(destination);
        }
        else
        {
            Write(series.LabelValues, destination);
        }
    }

    /// <summary>The length of the label fields of <paramref name="values"/>, one per label name in order.</summary>
    public int LengthOf(ReadOnlySpan<string> values)
    {
        int length = 0;
        for (int i = 0; i < values.Length; i++)
        {
            int pair = PairLength(i, Encoding.UTF8.GetByteCount(values[i]));
            length += 1 + ProtobufBuffer.VarintLength((ulong)pair) + pair;
        }

        return length;
    }

    /// <summary>Writes the label fields of <paramref name="values"/>, exactly <see cref="LengthOf(ReadOnlySpan{string})"/> bytes.</summary>
    public void Write(ReadOnlySpan<string> values, Span<byte> destination)
    {
        int position = 0;
        for (int i = 0; i < values.Length; i++)
        {
            int valueLength = Encoding.UTF8.GetByteCount(values[i]);
            destination[position++] = LabelTag;
            position += ProtobufBuffer.WriteVarint(destination[position..], (ulong)PairLength(i, valueLength));
            names[i].CopyTo(destination[position..]);
            position += names[i].Length;
            destination[position++] = ValueTag;
            position += ProtobufBuffer.WriteVarint(destination[position..], (ulong)valueLength);
            position += Encoding.UTF8.GetBytes(values[i], destination[position..]);
        }
    }

    private int PairLength(int label, int valueLength) =>
        names[label].Length + 1 + ProtobufBuffer.VarintLength((ulong)valueLength) + valueLength;

    private static byte[] EncodeOverflowLabel()
    {
        var buffer = new ProtobufBuffer(64);
        try
        {
            int pair = buffer.BeginMessage(MetricLabel);
            buffer.String(LabelName, MetricFamily.OverflowLabelName);
            buffer.String(LabelValue, "true");
            buffer.EndMessage(pair);
            return buffer.Written.ToArray();
        }
        finally
        {
            buffer.Dispose();
        }
    }
}
