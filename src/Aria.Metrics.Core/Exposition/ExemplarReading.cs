using System.Buffers.Binary;
using Aria.Metrics.Cells;

namespace Aria.Metrics.Exposition;

/// <summary>
/// One exemplar as a scrape read it from its slot: the encoded labels (see <see cref="Exemplar"/>), the value and the
/// time. The labels live in the caller's buffer, so reading allocates nothing.
/// </summary>
internal readonly ref struct ExemplarReading
{
    private readonly ReadOnlySpan<byte> _labels;

    private ExemplarReading(ReadOnlySpan<byte> labels, double value, long ticks)
    {
        _labels = labels;
        Value = value;
        Ticks = ticks;
    }

    /// <summary>The observed value or the increment.</summary>
    public double Value { get; }

    /// <summary>When it was recorded, in <see cref="DateTime"/> ticks (UTC).</summary>
    public long Ticks { get; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long UnixMilliseconds => (Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>Reads <paramref name="slot"/> into <paramref name="buffer"/> (<see cref="ExemplarSlot.MaxEncodedLength"/> bytes); false when it holds none.</summary>
    public static bool TryRead(ExemplarSlot? slot, Span<byte> buffer, out ExemplarReading reading)
    {
        if (slot is not null && slot.TryRead(buffer, out int length, out double value, out long ticks))
        {
            reading = new ExemplarReading(buffer[..length], value, ticks);
            return true;
        }

        reading = default;
        return false;
    }

    /// <summary>The label pairs, in the order they were given: <c>while (labels.MoveNext())</c> reads each one's name and value.</summary>
    public LabelCursor Labels => new(_labels);

    /// <summary>Walks the encoded pairs: a count, then per pair a one-byte name length, the name, a two-byte value length, the value.</summary>
    public ref struct LabelCursor
    {
        private ReadOnlySpan<byte> _rest;
        private int _remaining;

        public LabelCursor(ReadOnlySpan<byte> labels)
        {
            _remaining = labels.IsEmpty ? 0 : labels[0];
            _rest = labels.IsEmpty ? default : labels[1..];
            Name = default;
            Value = default;
        }

        /// <summary>The current label's name, UTF-8 (ASCII).</summary>
        public ReadOnlySpan<byte> Name { get; private set; }

        /// <summary>The current label's value, UTF-8.</summary>
        public ReadOnlySpan<byte> Value { get; private set; }

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }

            _remaining--;
            int nameLength = _rest[0];
            Name = _rest.Slice(1, nameLength);
            _rest = _rest[(1 + nameLength)..];
            int valueLength = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            Value = _rest.Slice(2, valueLength);
            _rest = _rest[(2 + valueLength)..];
            return true;
        }
    }
}
