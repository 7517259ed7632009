using System.Runtime.CompilerServices;

namespace Aria.Metrics.Cells;

/// <summary>
/// The sparse buckets of one sign of a native histogram: counts by integer key, in chunks of 32 consecutive keys that
/// are made the first time a key of theirs is observed and never move. A directory of chunks covers the range of keys
/// seen so far; growing it copies chunk references, not counts, so an observer counting into a chunk is never lost.
/// Counting into an existing bucket is one interlocked add with no lock and no allocation; only a key in a new chunk
/// takes the lock.
/// </summary>
internal sealed class NativeBuckets
{
    private const int ChunkShift = 5;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private readonly Lock _gate = new();
    private Directory _directory = Directory.Empty;

    /// <summary>Adds <paramref name="count"/> to bucket <paramref name="key"/>; true when that made the bucket populated (it held 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(int key, long count)
    {
        Directory directory = Volatile.Read(ref _directory);
        int index = (key >> ChunkShift) - directory.FirstChunk;
        long[]? chunk = (uint)index < (uint)directory.Chunks.Length ? Volatile.Read(ref directory.Chunks[index]) : null;
        chunk ??= ChunkOf(key);
        return Interlocked.Add(ref chunk[key & ChunkMask], count) == count;
    }

    /// <summary>The count of bucket <paramref name="key"/>.</summary>
    public long CountOf(int key)
    {
        Directory directory = Volatile.Read(ref _directory);
        int index = (key >> ChunkShift) - directory.FirstChunk;
        long[]? chunk = (uint)index < (uint)directory.Chunks.Length ? Volatile.Read(ref directory.Chunks[index]) : null;
        return chunk is null ? 0 : Volatile.Read(ref chunk[key & ChunkMask]);
    }

    /// <summary>
    /// Takes bucket <paramref name="key"/>'s count out, leaving 0. Only on quiescent buckets (a cold half of the
    /// histogram), where nobody counts at the same time.
    /// </summary>
    public long Remove(int key)
    {
        Directory directory = Volatile.Read(ref _directory);
        int index = (key >> ChunkShift) - directory.FirstChunk;
        long[]? chunk = (uint)index < (uint)directory.Chunks.Length ? Volatile.Read(ref directory.Chunks[index]) : null;
        return chunk is null ? 0 : Interlocked.Exchange(ref chunk[key & ChunkMask], 0);
    }

    /// <summary>Sets every count to 0, keeping the chunks for the next time they are needed. Quiescent buckets only.</summary>
    public void Clear()
    {
        foreach (long[]? chunk in Volatile.Read(ref _directory).Chunks)
        {
            if (chunk is not null)
            {
                Array.Clear(chunk);
            }
        }
    }

    /// <summary>The smallest populated key, or null when no bucket is populated.</summary>
    public int? SmallestKey()
    {
        Cursor cursor = GetCursor();
        return cursor.MoveNext() ? cursor.Key : null;
    }

    /// <summary>The populated buckets in ascending key order.</summary>
    public Cursor GetCursor() => new(Volatile.Read(ref _directory));

    private long[] ChunkOf(int key)
    {
        lock (_gate)
        {
            int chunkIndex = key >> ChunkShift;
            Directory directory = _directory;
            int index = chunkIndex - directory.FirstChunk;
            if ((uint)index >= (uint)directory.Chunks.Length)
            {
                directory = directory.Covering(chunkIndex);
                index = chunkIndex - directory.FirstChunk;
                Volatile.Write(ref _directory, directory);
            }

            long[]? chunk = directory.Chunks[index];
            if (chunk is null)
            {
                chunk = new long[ChunkSize];
                Volatile.Write(ref directory.Chunks[index], chunk);
            }

            return chunk;
        }
    }

    /// <summary>The chunks of a contiguous range of chunk indices; replaced, never resized, when the range grows.</summary>
    internal sealed class Directory(int firstChunk, long[]?[] chunks)
    {
        public static readonly Directory Empty = new(0, []);

        public int FirstChunk { get; } = firstChunk;

        public long[]?[] Chunks { get; } = chunks;

        /// <summary>A directory over this range and <paramref name="chunkIndex"/>, with room to grow on either side.</summary>
        public Directory Covering(int chunkIndex)
        {
            if (Chunks.Length == 0)
            {
                return new Directory(chunkIndex - 1, new long[]?[3]);
            }

            int first = Math.Min(FirstChunk, chunkIndex);
            int last = Math.Max(FirstChunk + Chunks.Length - 1, chunkIndex);

            // Doubling the span on the side that grew keeps the number of directory copies logarithmic.
            int span = last - first + 1;
            if (chunkIndex < FirstChunk)
            {
                first = Math.Max(first - span, int.MinValue >> ChunkShift);
            }
            else
            {
                last = Math.Min(last + span, int.MaxValue >> ChunkShift);
            }

            var chunks = new long[]?[last - first + 1];
            Array.Copy(Chunks, 0, chunks, FirstChunk - first, Chunks.Length);
            return new Directory(first, chunks);
        }
    }

    /// <summary>Walks the populated buckets in ascending key order.</summary>
    public struct Cursor
    {
        private readonly Directory _directory;
        private int _chunk;
        private int _cell;

        internal Cursor(Directory directory)
        {
            _directory = directory;
            _chunk = 0;
            _cell = -1;
            Key = 0;
            Count = 0;
        }

        /// <summary>The current bucket's key.</summary>
        public int Key { get; private set; }

        /// <summary>The current bucket's count.</summary>
        public long Count { get; private set; }

        public bool MoveNext()
        {
            long[]?[] chunks = _directory.Chunks;
            while (_chunk < chunks.Length)
            {
                long[]? chunk = chunks[_chunk];
                if (chunk is not null)
                {
                    while (++_cell < ChunkSize)
                    {
                        long count = Volatile.Read(ref chunk[_cell]);
                        if (count != 0)
                        {
                            Key = ((_directory.FirstChunk + _chunk) << ChunkShift) + _cell;
                            Count = count;
                            return true;
                        }
                    }
                }

                _chunk++;
                _cell = -1;
            }

            return false;
        }
    }
}
