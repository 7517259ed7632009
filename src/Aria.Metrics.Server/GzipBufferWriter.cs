using System.Buffers;
using System.IO.Compression;

namespace Aria.Metrics.Server;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that gzips what is written to it into another buffer writer, a pooled chunk at a
/// time, so that the registry streams through the compressor and the uncompressed body is never held whole.
/// Call <see cref="Complete"/> to write the gzip trailer; <see cref="Dispose"/> returns the chunk to the pool.
/// </summary>
internal sealed class GzipBufferWriter : IBufferWriter<byte>, IDisposable
{
    // Twice what the exposition writer asks for at a time, so that most of its requests are served without a drain.
    private const int ChunkSize = 32 * 1024;

    private readonly GZipStream _gzip;
    private byte[] _chunk;
    private int _written;

    public GzipBufferWriter(IBufferWriter<byte> destination)
    {
        // Fastest: a scrape is latency-bound, and text metrics compress about tenfold even at the lowest level.
        _gzip = new GZipStream(new BufferWriterStream(destination), CompressionLevel.Fastest, leaveOpen: false);
        _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _chunk.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _chunk.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _chunk.AsSpan(_written);
    }

    /// <summary>Compresses what is pending and writes the gzip trailer.</summary>
    public void Complete()
    {
        Drain();
        _gzip.Dispose();
    }

    public void Dispose()
    {
        _gzip.Dispose();
        byte[] chunk = _chunk;
        _chunk = [];
        if (chunk.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_chunk.Length - _written >= needed)
        {
            return;
        }

        Drain();
        if (_chunk.Length < needed)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = ArrayPool<byte>.Shared.Rent(needed);
        }
    }

    private void Drain()
    {
        if (_written != 0)
        {
            _gzip.Write(_chunk, 0, _written);
            _written = 0;
        }
    }
}
