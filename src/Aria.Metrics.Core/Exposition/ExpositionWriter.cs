using System.Buffers;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Exposition;

/// <summary>
/// Appends exposition bytes to an <see cref="IBufferWriter{T}"/>, asking it for space in large chunks so that
/// the per-sample cost is a bounds check and a copy. Everything but numbers arrives pre-encoded.
/// </summary>
internal ref struct ExpositionWriter
{
    private const int ChunkSize = 16 * 1024;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _buffer;
    private int _position;

    public ExpositionWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _buffer = default;
        _position = 0;
    }

    /// <summary>Copies pre-encoded bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _position)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte value)
    {
        if (_position == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_position++] = value;
    }

    /// <summary>Writes a whole number, through the integer fast path.</summary>
    public void WriteInt64(long value)
    {
        EnsureNumberRoom();
        _position += NumberFormatter.WriteInt64(value, _buffer[_position..]);
    }

    /// <summary>Writes a sample value; whole numbers that a double holds exactly take the integer path.</summary>
    public void WriteDouble(double value)
    {
        EnsureNumberRoom();
        const double ExactIntegerLimit = 9007199254740992d; // 2^53
        long whole = (long)value;
        _position += whole == value && Math.Abs(value) <= ExactIntegerLimit
            ? NumberFormatter.WriteInt64(whole, _buffer[_position..])
            : NumberFormatter.WriteDouble(value, _buffer[_position..]);
    }

    /// <summary>
    /// Writes <c>name{labels}</c> and the space before the value; the braces are left out for a series without labels.
    /// </summary>
    public void WriteSampleStart(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels)
    {
        Write(name);
        if (labels.Length != 0)
        {
            Write((byte)'{');
            Write(labels);
            Write((byte)'}');
        }

        Write((byte)' ');
    }

    /// <summary>Hands everything written so far to the output.</summary>
    public void Flush()
    {
        if (_position != 0)
        {
            _output.Advance(_position);
            _position = 0;
        }

        _buffer = default;
    }

    private void EnsureNumberRoom()
    {
        if (_buffer.Length - _position < NumberFormatter.MaxLength)
        {
            Grow(NumberFormatter.MaxLength);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        Flush();
        _buffer = _output.GetSpan(Math.Max(needed, ChunkSize));
    }
}
