using System.Buffers;

namespace Aria.Metrics.Server;

/// <summary>
/// A write-only stream that copies into an <see cref="IBufferWriter{T}"/> and never flushes it: it lets a synchronous
/// <see cref="System.IO.Compression.GZipStream"/> fill the response's PipeWriter, which is flushed once, asynchronously,
/// when the whole body is in it. (Kestrel forbids synchronous writes to its response stream.)
/// </summary>
internal sealed class BufferWriterStream(IBufferWriter<byte> destination) : Stream
{
    private const int MaxHint = 16 * 1024;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            // A size hint, never 0: before a response starts, Kestrel answers GetSpan(0) with an empty span.
            Span<byte> target = destination.GetSpan(Math.Min(buffer.Length, MaxHint));
            int count = Math.Min(target.Length, buffer.Length);
            buffer[..count].CopyTo(target);
            destination.Advance(count);
            buffer = buffer[count..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
        // The owner flushes the PipeWriter once the body is complete.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
