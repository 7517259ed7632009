namespace Aria.Metrics.Cells;

/// <summary>
/// One half of a native histogram series (see <see cref="NativeHistogramCells"/>): everything an observation touches,
/// classic buckets and sum included, so that the cold half read by a scrape is one consistent set of observations.
/// </summary>
internal sealed class NativeCounts(int classicBuckets, int schema, double zeroThreshold)
{
    /// <summary>Observations completed in this half: each observation adds to it last, as its completion marker.</summary>
    public long Count;

    /// <summary>The sum, as the bits of a double.</summary>
    public long SumBits;

    /// <summary>Observations within the zero bucket's threshold.</summary>
    public long ZeroCount;

    /// <summary>Populated native buckets over both signs, for the bucket limit.</summary>
    public int PopulatedBuckets;

    /// <summary>The schema observers of this half bucket with.</summary>
    public int Schema = schema;

    /// <summary>The zero threshold observers of this half compare with, as the bits of a double.</summary>
    public long ZeroThresholdBits = BitConverter.DoubleToInt64Bits(zeroThreshold);

    /// <summary>Non-cumulative classic bucket counts, +Inf last.</summary>
    public readonly long[] Classic = new long[classicBuckets];

    /// <summary>Buckets of positive observations, by key.</summary>
    public readonly NativeBuckets Positive = new();

    /// <summary>Buckets of negative observations, by the key of their magnitude.</summary>
    public readonly NativeBuckets Negative = new();

    /// <summary>The zero threshold as a double.</summary>
    public double ZeroThreshold => BitConverter.Int64BitsToDouble(Volatile.Read(ref ZeroThresholdBits));

    /// <summary>Records one observation; <paramref name="classicBucket"/> is its classic bucket. Returns true when it populated a new native bucket.</summary>
    public bool Observe(double value, int classicBucket, long count)
    {
        Interlocked.Add(ref Classic[classicBucket], count);
        // The product can overflow where each factor is finite; an infinite term would make the sum NaN one day.
        Striping.AddDouble(ref SumBits, count == 1 ? value : Saturation.Finite(value * count));
        bool populated = false;
        double magnitude = Math.Abs(value);
        if (magnitude <= ZeroThreshold)
        {
            Interlocked.Add(ref ZeroCount, count);
        }
        else
        {
            int key = NativeSchema.KeyOf(magnitude, Volatile.Read(ref Schema));
            if ((value > 0 ? Positive : Negative).Add(key, count))
            {
                Interlocked.Increment(ref PopulatedBuckets);
                populated = true;
            }
        }

        // Last: the scrape waits for this to know the observation is whole.
        Interlocked.Add(ref Count, count);
        return populated;
    }

    /// <summary>
    /// Adds everything counted here into <paramref name="hot"/> and clears this half, which must be quiescent. Native
    /// buckets move to their key halved <paramref name="halvings"/> times (a lower resolution), and those at or below key
    /// <paramref name="zeroUpTo"/> into the zero bucket (a wider one).
    /// </summary>
    public void MoveInto(NativeCounts hot, int halvings, int zeroUpTo)
    {
        for (int i = 0; i < Classic.Length; i++)
        {
            Interlocked.Add(ref hot.Classic[i], Interlocked.Exchange(ref Classic[i], 0));
        }

        Striping.AddDouble(ref hot.SumBits, BitConverter.Int64BitsToDouble(Interlocked.Exchange(ref SumBits, 0)));
        Interlocked.Add(ref hot.ZeroCount, Interlocked.Exchange(ref ZeroCount, 0));
        MoveBuckets(Positive, hot.Positive, hot, halvings, zeroUpTo);
        MoveBuckets(Negative, hot.Negative, hot, halvings, zeroUpTo);
        Volatile.Write(ref PopulatedBuckets, 0);

        // The count last: it is what says the others are complete.
        Interlocked.Add(ref hot.Count, Interlocked.Exchange(ref Count, 0));
    }

    /// <summary>Sets every count to 0 (a reset). This half must be quiescent.</summary>
    public void Clear()
    {
        Array.Clear(Classic);
        Volatile.Write(ref SumBits, 0);
        Volatile.Write(ref ZeroCount, 0);
        Positive.Clear();
        Negative.Clear();
        Volatile.Write(ref PopulatedBuckets, 0);
        Volatile.Write(ref Count, 0);
    }

    private static void MoveBuckets(NativeBuckets from, NativeBuckets to, NativeCounts hot, int halvings, int zeroUpTo)
    {
        NativeBuckets.Cursor buckets = from.GetCursor();
        while (buckets.MoveNext())
        {
            if (buckets.Key <= zeroUpTo)
            {
                Interlocked.Add(ref hot.ZeroCount, buckets.Count);
                continue;
            }

            int key = halvings == 0 ? buckets.Key : NativeSchema.Halve(buckets.Key);
            if (to.Add(key, buckets.Count))
            {
                Interlocked.Increment(ref hot.PopulatedBuckets);
            }
        }

        from.Clear();
    }
}
