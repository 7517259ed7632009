using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Aria.Metrics.Exposition;

/// <summary>
/// A growable buffer that protocol buffer messages are encoded into, on an array rented from the shared pool (so a
/// steady-state scrape allocates nothing). A delimited stream needs each family's length before its bytes, so a family is
/// encoded here first and then copied out. Nested messages reserve one byte for their length and move their content up
/// in the rare case it needs more (a message of 128 bytes or longer), which keeps encoding to a single pass.
/// </summary>
internal ref struct ProtobufBuffer
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;

    private byte[] _array;
    private int _length;

    public ProtobufBuffer(int capacity)
    {
        _array = ArrayPool<byte>.Shared.Rent(capacity);
        _length = 0;
    }

    /// <summary>The encoded bytes.</summary>
    public readonly ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

    /// <summary>Forgets what was written, keeping the array.</summary>
    public void Clear() => _length = 0;

    /// <summary>Pre-encoded bytes: a field, or several, whose tags and values never change.</summary>
    public void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>The next <paramref name="length"/> bytes, counted as written, for the caller to fill.</summary>
    public Span<byte> Append(int length)
    {
        Span<byte> room = Reserve(length)[..length];
        _length += length;
        return room;
    }

    /// <summary>A <c>uint64</c>, <c>int64</c>, <c>int32</c> or enum field.</summary>
    public void Varint(int field, ulong value)
    {
        Span<byte> room = Reserve(2 * MaxVarintLength);
        int written = WriteVarint(room, Tag(field, WireVarint));
        written += WriteVarint(room[written..], value);
        _length += written;
    }

    /// <summary>A <c>sint32</c> or <c>sint64</c> field, zigzag-encoded.</summary>
    public void Signed(int field, long value) => Varint(field, ZigZag(value));

    /// <summary>A <c>double</c> field.</summary>
    public void Double(int field, double value)
    {
        Span<byte> room = Reserve(MaxVarintLength + 8);
        int written = WriteVarint(room, Tag(field, WireFixed64));
        BinaryPrimitives.WriteDoubleLittleEndian(room[written..], value);
        _length += written + 8;
    }

    /// <summary>A <c>string</c> field, UTF-8 encoded straight from the .NET string.</summary>
    public void String(int field, string value)
    {
        // Up to 42 UTF-16 units encode to at most 126 bytes: their length fits the one byte reserved without counting first.
        const int OneByteLengthLimit = 127 / 3;
        int byteCount = value.Length <= OneByteLengthLimit ? -1 : Encoding.UTF8.GetByteCount(value);
        Span<byte> room = Reserve((2 * MaxVarintLength) + (byteCount < 0 ? value.Length * 3 : byteCount));
        int written = WriteVarint(room, Tag(field, WireLengthDelimited));
        if (byteCount < 0)
        {
            int encoded = Encoding.UTF8.GetBytes(value, room[(written + 1)..]);
            room[written] = (byte)encoded;
            written += 1 + encoded;
        }
        else
        {
            written += WriteVarint(room[written..], (ulong)byteCount);
            written += Encoding.UTF8.GetBytes(value, room[written..]);
        }

        _length += written;
    }

    /// <summary>A <c>string</c> field from UTF-8 bytes.</summary>
    public void Utf8(int field, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> room = Reserve((2 * MaxVarintLength) + value.Length);
        int written = WriteVarint(room, Tag(field, WireLengthDelimited));
        written += WriteVarint(room[written..], (ulong)value.Length);
        value.CopyTo(room[written..]);
        _length += written + value.Length;
    }

    /// <summary>A <c>google.protobuf.Timestamp</c> field at <paramref name="ticks"/> (<see cref="DateTime"/> ticks, UTC).</summary>
    public void Timestamp(int field, long ticks)
    {
        long sinceEpoch = ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(sinceEpoch, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        // Written in one reservation: a counter's start timestamp is a field of every series of a protobuf scrape. The
        // message (two tags and two varints) is at most 22 bytes, so its length is one byte.
        Span<byte> room = Reserve((2 * MaxVarintLength) + 3 + (2 * MaxVarintLength));
        int written = WriteVarint(room, Tag(field, WireLengthDelimited));
        int lengthAt = written++;
        room[written++] = (byte)Tag(ProtobufFields.TimestampSeconds, WireVarint);
        written += WriteVarint(room[written..], (ulong)seconds);
        if (remainder != 0)
        {
            room[written++] = (byte)Tag(ProtobufFields.TimestampNanos, WireVarint);
            written += WriteVarint(room[written..], (ulong)(remainder * 100));
        }

        room[lengthAt] = (byte)(written - lengthAt - 1);
        _length += written;
    }

    /// <summary>One element of a packed repeated <c>sint64</c> field begun with <see cref="BeginMessage"/>: the zigzag varint alone.</summary>
    public void PackedSigned(long value)
    {
        Span<byte> room = Reserve(MaxVarintLength);
        _length += WriteVarint(room, ZigZag(value));
    }

    /// <summary>Starts a length-delimited field (a nested message); returns where its length goes, for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int field)
    {
        Span<byte> room = Reserve(MaxVarintLength + 1);
        int written = WriteVarint(room, Tag(field, WireLengthDelimited));
        _length += written + 1;
        return _length - 1;
    }

    /// <summary>Ends the nested message begun at <paramref name="lengthAt"/> by writing its length there.</summary>
    public void EndMessage(int lengthAt)
    {
        int length = _length - lengthAt - 1;
        if (length < 0x80)
        {
            _array[lengthAt] = (byte)length;
            return;
        }

        int extra = VarintLength((ulong)length) - 1;
        Reserve(extra);
        _array.AsSpan(lengthAt + 1, length).CopyTo(_array.AsSpan(lengthAt + 1 + extra));
        WriteVarint(_array.AsSpan(lengthAt), (ulong)length);
        _length += extra;
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        byte[] array = _array;
        _array = [];
        _length = 0;
        if (array.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    /// <summary>The longest varint: ten bytes for 64 bits.</summary>
    public const int MaxVarintLength = 10;

    /// <summary>Writes <paramref name="value"/> as a base-128 varint and returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>The length of <paramref name="value"/> as a varint.</summary>
    public static int VarintLength(ulong value) => ((63 - BitOperations.LeadingZeroCount(value | 1)) / 7) + 1;

    /// <summary>A field's key: its number and wire type.</summary>
    public static ulong Tag(int field, int wireType) => ((ulong)field << 3) | (uint)wireType;

    /// <summary>The key of a length-delimited field, for pre-encoded bytes.</summary>
    public static ulong MessageTag(int field) => Tag(field, WireLengthDelimited);

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>At least <paramref name="count"/> bytes of room after what is written, growing into a larger pooled array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        if (_array.Length - _length < count)
        {
            Grow(count);
        }

        return _array.AsSpan(_length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + count));
        _array.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
