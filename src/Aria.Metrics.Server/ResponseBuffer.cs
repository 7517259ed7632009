using System.Buffers;
using System.IO.Pipelines;

namespace Aria.Metrics.Server;

/// <summary>
/// A scrape's whole body, in pooled segments, before any of it is sent: so that a failure while writing can still be
/// answered with a 500 instead of a cut connection, and the answer carries a Content-Length. One is kept by the
/// responder between scrapes; <see cref="Clear"/> returns the segments to the pool.
/// </summary>
internal sealed class ResponseBuffer : IBufferWriter<byte>
{
    // Larger than anything the exposition writer asks for at once, so that a segment is rarely left part-used.
    private const int SegmentSize = 64 * 1024;

    private readonly List<byte[]> _full = [];
    private readonly List<int> _fullLengths = [];
    private byte[] _current = [];
    private int _written;

    /// <summary>The bytes written so far.</summary>
    public long Length { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length - _written);
        _written += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_written);
    }

    /// <summary>
    /// Sends the body into <paramref name="destination"/> a segment at a time, each write flushed, so that it drains as
    /// it goes; stops early when the client has gone.
    /// </summary>
    public async ValueTask CopyToAsync(PipeWriter destination)
    {
        for (int i = 0; i < _full.Count; i++)
        {
            FlushResult result = await destination.WriteAsync(_full[i].AsMemory(0, _fullLengths[i])).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }

        if (_written != 0)
        {
            await destination.WriteAsync(_current.AsMemory(0, _written)).ConfigureAwait(false);
        }
    }

    /// <summary>Empties the buffer and returns its segments to the pool.</summary>
    public void Clear()
    {
        foreach (byte[] segment in _full)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _full.Clear();
        _fullLengths.Clear();
        if (_current.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_current);
        }

        _current = [];
        _written = 0;
        Length = 0;
    }

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_current.Length - _written >= needed)
        {
            return;
        }

        if (_written != 0)
        {
            _full.Add(_current);
            _fullLengths.Add(_written);
        }
        else if (_current.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_current);
        }

        _current = ArrayPool<byte>.Shared.Rent(Math.Max(needed, SegmentSize));
        _written = 0;
    }
}
