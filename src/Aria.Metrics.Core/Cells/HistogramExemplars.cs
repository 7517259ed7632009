using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Cells;

/// <summary>
/// The exemplar slots of one histogram series, one per bucket (+Inf last), each made on the bucket's first exemplar.
/// The series holds none of this until its first exemplar, or from its creation when it takes exemplars from the
/// current activity.
/// </summary>
internal sealed class HistogramExemplars(int buckets, bool fromActivity)
{
    private readonly ExemplarSlot?[] _slots = new ExemplarSlot?[buckets];

    /// <summary>Whether observations without an exemplar take one from <see cref="Activity.Current"/>.</summary>
    public bool FromActivity { get; } = fromActivity;

    /// <summary>How many buckets have slots.</summary>
    public int Count => _slots.Length;

    /// <summary>The slot of <paramref name="bucket"/>, or null while it has had no exemplar.</summary>
    public ExemplarSlot? this[int bucket] => Volatile.Read(ref _slots[bucket]);

    /// <summary>Creates the exemplars of a series on first use; the first thread wins.</summary>
    public static HistogramExemplars GetOrCreate(ref HistogramExemplars? field, int buckets, bool fromActivity)
    {
        HistogramExemplars created = new(buckets, fromActivity);
        return Interlocked.CompareExchange(ref field, created, null) ?? created;
    }

    /// <summary>Records an exemplar, measured and checked at <paramref name="size"/> bytes, for an observation in <paramref name="bucket"/>.</summary>
    public void Record(int bucket, Exemplar exemplar, int size, double value) => SlotOf(bucket).Record(exemplar, size, value);

    /// <summary>Records the current activity's trace and span, if there is a current activity.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RecordActivity(int bucket, double value)
    {
        Exemplar exemplar = Exemplar.FromActivity(Activity.Current);
        if (!exemplar.IsNone)
        {
            SlotOf(bucket).Record(exemplar, exemplar.MeasureAndValidate(string.Empty), value);
        }
    }

    private ExemplarSlot SlotOf(int bucket) =>
        Volatile.Read(ref _slots[bucket]) ?? ExemplarSlot.GetOrCreate(ref _slots[bucket], fromActivity: false);
}
