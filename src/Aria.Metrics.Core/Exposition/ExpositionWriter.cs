using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _position)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    /// <summary>
    /// Copies bytes of any length a chunk at a time, so that a large block (a protobuf family) never asks the output for
    /// one span of its whole size, which a pipe would have to allocate.
    /// </summary>
    public void WriteChunked(scoped ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_position == _buffer.Length)
            {
                Grow(1);
            }

            int count = Math.Min(bytes.Length, _buffer.Length - _position);
            bytes[..count].CopyTo(_buffer[_position..]);
            _position += count;
            bytes = bytes[count..];
        }
    }

    /// <summary>Writes a sample line whose value is a whole number: <c>name{labels} value\n</c>.</summary>
    /// <param name="name">The sample name.</param>
    /// <param name="labelText">Everything between the name and the value: <c>{...} </c>, or a single space.</param>
    /// <param name="value">The value, through the integer fast path.</param>
    public void WriteSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelText, long value)
    {
        Span<byte> line = BeginSample(name, labelText, out int length);
        length += NumberFormatter.WriteInt64(value, line[length..]);
        EndLine(line, length);
    }

    /// <summary>Writes a sample line; whole numbers that a double holds exactly take the integer path.</summary>
    public void WriteSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelText, double value)
    {
        const double ExactIntegerLimit = 9007199254740992d; // 2^53
        long whole = (long)value;
        if (whole == value && Math.Abs(value) <= ExactIntegerLimit)
        {
            WriteSample(name, labelText, whole);
            return;
        }

        Span<byte> line = BeginSample(name, labelText, out int length);
        length += NumberFormatter.WriteDouble(value, line[length..]);
        EndLine(line, length);
    }

    /// <summary>Writes a histogram bucket line: <c>name_bucket{labels,le="bound"} count\n</c>.</summary>
    /// <param name="bucketNameAndBrace">The bucket sample name with its opening brace.</param>
    /// <param name="labelPairs">The series' own label pairs, without braces; empty for none.</param>
    /// <param name="bucketTail">The <c>le="bound"} </c> tail of this bucket.</param>
    /// <param name="count">The cumulative count.</param>
    public void WriteBucket(ReadOnlySpan<byte> bucketNameAndBrace, ReadOnlySpan<byte> labelPairs, ReadOnlySpan<byte> bucketTail, long count)
    {
        Span<byte> line = Reserve(bucketNameAndBrace.Length + labelPairs.Length + 1 + bucketTail.Length + NumberFormatter.MaxLength + 1);
        CopyShort(bucketNameAndBrace, line);
        int length = bucketNameAndBrace.Length;
        if (labelPairs.Length != 0)
        {
            CopyShort(labelPairs, line[length..]);
            length += labelPairs.Length;
            line[length++] = (byte)',';
        }

        CopyShort(bucketTail, line[length..]);
        length += bucketTail.Length;
        length += NumberFormatter.WriteInt64(count, line[length..]);
        EndLine(line, length);
    }

    /// <summary>
    /// Takes back the line feed of the line just written, so that the line can go on (an exemplar after a sample).
    /// Every line is written whole into the current chunk, so its line feed is always the last byte there.
    /// </summary>
    public void ReopenLine()
    {
        Debug.Assert(_position > 0 && _buffer[_position - 1] == (byte)'\n', "No line to reopen.");
        _position--;
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

    /// <summary>Reserves a whole sample line and copies its name and label text; the value goes at <paramref name="length"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> BeginSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelText, out int length)
    {
        Span<byte> line = Reserve(name.Length + labelText.Length + NumberFormatter.MaxLength + 1);
        CopyShort(name, line);
        CopyShort(labelText, line[name.Length..]);
        length = name.Length + labelText.Length;
        return line;
    }

    /// <summary>
    /// Copies a sample name, a series' label text or a bucket's <c>le</c> tail, a few dozen bytes, with two overlapping
    /// moves in line: the general copy is a call that sorts lengths first, and two of them per line were a tenth of a
    /// large scrape's time (a bucket line has three: in line, 7 to 10 % off a histogram text scrape).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int length = source.Length;
        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        if (length > destination.Length)
        {
            // Throws, as any copy into too short a span does.
            source.CopyTo(destination);
        }
        else if (length is >= 8 and < 16)
        {
            ulong head = Unsafe.ReadUnaligned<ulong>(ref from);
            ulong tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, length - 8));
            Unsafe.WriteUnaligned(ref to, head);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 8), tail);
        }
        else if (length is >= 16 and <= 32 && Vector128.IsHardwareAccelerated)
        {
            Vector128<byte> head = Vector128.LoadUnsafe(ref from);
            Vector128<byte> tail = Vector128.LoadUnsafe(ref from, (nuint)(length - 16));
            head.StoreUnsafe(ref to);
            tail.StoreUnsafe(ref to, (nuint)(length - 16));
        }
        else if (length is > 32 and <= 64 && Vector256.IsHardwareAccelerated)
        {
            Vector256<byte> head = Vector256.LoadUnsafe(ref from);
            Vector256<byte> tail = Vector256.LoadUnsafe(ref from, (nuint)(length - 32));
            head.StoreUnsafe(ref to);
            tail.StoreUnsafe(ref to, (nuint)(length - 32));
        }
        else
        {
            source.CopyTo(destination);
        }
    }

    /// <summary>Ends a line of <paramref name="length"/> bytes with its line feed and moves past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndLine(Span<byte> line, int length)
    {
        line[length] = (byte)'\n';
        _position += length + 1;
    }

    /// <summary>At least <paramref name="length"/> bytes of room at the current position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int length)
    {
        if (_buffer.Length - _position < length)
        {
            Grow(length);
        }

        return _buffer[_position..];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        Flush();
        _buffer = _output.GetSpan(Math.Max(needed, ChunkSize));
    }
}
