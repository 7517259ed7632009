using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Cells;

/// <summary>
/// The latest exemplar of a counter series or of one histogram bucket: encoded labels, value and timestamp, guarded by
/// a sequence number so that recording is lock-free and allocation-free once the label buffer is large enough, and a
/// scrape never reads labels of one exemplar with the value of another. Exemplars are samples, so a recording that
/// meets another one in progress on the same slot gives way instead of waiting: one of the two is kept.
/// </summary>
internal sealed class ExemplarSlot
{
    /// <summary>
    /// The longest encoding of labels within OpenMetrics' 128 characters: 128 one-character names with empty values
    /// (three length bytes each), or four-byte characters in the values.
    /// </summary>
    public const int MaxEncodedLength = 1 + (128 * 3) + (128 * 4);

    // Even when stable, odd while a recording is in progress; 0 until the first recording.
    private int _version;
    private byte[] _labels = [];
    private int _labelLength;
    private double _value;
    private long _ticks;

    /// <summary>A slot; <paramref name="fromActivity"/> makes it take an exemplar from <see cref="Activity.Current"/> at updates that bring none.</summary>
    public ExemplarSlot(bool fromActivity) => FromActivity = fromActivity;

    /// <summary>Whether updates without an exemplar take one from <see cref="Activity.Current"/>.</summary>
    public bool FromActivity { get; }

    /// <summary>
    /// Creates the slot in <paramref name="field"/> on first use; the first thread wins. A slot made here takes exemplars
    /// from the current activity only when <paramref name="fromActivity"/> says so.
    /// </summary>
    public static ExemplarSlot GetOrCreate(ref ExemplarSlot? field, bool fromActivity)
    {
        ExemplarSlot created = new(fromActivity);
        return Interlocked.CompareExchange(ref field, created, null) ?? created;
    }

    /// <summary>Records <paramref name="exemplar"/>, already measured and checked at <paramref name="size"/> bytes, with its value and now as its time.</summary>
    public void Record(Exemplar exemplar, int size, double value)
    {
        long now = CoarseClock.UtcTicks();
        int version = Volatile.Read(ref _version);
        if ((version & 1) != 0 || Interlocked.CompareExchange(ref _version, version + 1, version) != version)
        {
            return;
        }

        try
        {
            byte[] labels = _labels;
            if (labels.Length < size)
            {
                // Only a longer exemplar than any before allocates; trace and span ids are always the same length.
                labels = new byte[Math.Max(size, 96)];
                _labels = labels;
            }

            exemplar.Encode(labels.AsSpan(0, size));
            _labelLength = size;
            _value = value;
            _ticks = now;
        }
        finally
        {
            Volatile.Write(ref _version, version + 2);
        }
    }

    /// <summary>Records the current activity's trace and span, if there is a current activity.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RecordActivity(double value)
    {
        Exemplar exemplar = Exemplar.FromActivity(Activity.Current);
        if (!exemplar.IsNone)
        {
            Record(exemplar, exemplar.MeasureAndValidate(string.Empty), value);
        }
    }

    /// <summary>
    /// Copies the latest exemplar out: its encoded labels into <paramref name="labels"/> (at least
    /// <see cref="MaxEncodedLength"/> bytes), its value and its time in ticks. False when there is none yet, or when
    /// recordings kept overlapping the read (the scrape then goes without this exemplar).
    /// </summary>
    public bool TryRead(Span<byte> labels, out int length, out double value, out long ticks)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            int version = Volatile.Read(ref _version);
            if (version == 0)
            {
                break;
            }

            if ((version & 1) == 0)
            {
                byte[] source = _labels;
                length = _labelLength;
                value = _value;
                ticks = _ticks;
                if (length <= source.Length && length <= labels.Length)
                {
                    source.AsSpan(0, length).CopyTo(labels);

                    // The copy and the fields must be read before the version is read again.
                    Interlocked.MemoryBarrier();
                    if (Volatile.Read(ref _version) == version)
                    {
                        return true;
                    }
                }
            }

            Thread.SpinWait(16);
        }

        length = 0;
        value = 0;
        ticks = 0;
        return false;
    }
}
