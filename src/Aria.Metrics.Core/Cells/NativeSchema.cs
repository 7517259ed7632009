namespace Aria.Metrics.Cells;

/// <summary>
/// The arithmetic of Prometheus' standard exponential bucket schemas (-4 to 8): bucket <c>k</c> of schema <c>s</c> holds
/// the magnitudes in <c>(2^((k-1)/2^s), 2^(k/2^s)]</c>, so every power of two is a boundary and each is split into
/// <c>2^s</c> buckets. Keys are computed from the double's own exponent and fraction, as client_golang does, so that a
/// value on a boundary lands in the same bucket as in every other Prometheus client.
/// </summary>
internal static class NativeSchema
{
    /// <summary>The coarsest schema: each bucket spans a factor of 65536.</summary>
    public const int Min = -4;

    /// <summary>The finest schema: each power of two split into 256 buckets (a factor of about 1.0027).</summary>
    public const int Max = 8;

    /// <summary>The default zero threshold, 2^-128: a boundary at every schema, and far below any measured duration.</summary>
    public static readonly double DefaultZeroThreshold = Math.ScaleB(1, -128);

    // Per positive schema s, the 2^s fractions 2^(i/2^s - 1) that split [0.5, 1): the upper bounds within one power of two.
    private static readonly double[][] FractionBounds = CreateFractionBounds();

    /// <summary>
    /// The schema whose buckets grow by at most <paramref name="factor"/>: <c>-floor(log2(log2(factor)))</c>, clamped to
    /// the standard range (client_golang's <c>pickSchema</c>). A factor of 1.1 gives schema 3, about 1.09 per bucket.
    /// </summary>
    public static int ForFactor(double factor)
    {
        double floor = Math.Floor(Math.Log2(Math.Log2(factor)));
        return floor <= -Max ? Max : floor >= -Min ? Min : -(int)floor;
    }

    /// <summary>The key of the bucket holding magnitude <paramref name="magnitude"/> (positive and finite) at <paramref name="schema"/>.</summary>
    public static int KeyOf(double magnitude, int schema)
    {
        (double fraction, int exponent) = Frexp(magnitude);
        if (schema > 0)
        {
            double[] bounds = FractionBounds[schema];

            // The first bound at or above the fraction, as Go's sort.SearchFloat64s finds it.
            int found = Array.BinarySearch(bounds, fraction);
            int index = found >= 0 ? found : ~found;
            return index + ((exponent - 1) * bounds.Length);
        }

        int key = fraction == 0.5 ? exponent - 1 : exponent;
        int offset = (1 << -schema) - 1;
        return (key + offset) >> -schema;
    }

    /// <summary>The upper bound of bucket <paramref name="key"/> at <paramref name="schema"/>: <c>2^(key/2^schema)</c>.</summary>
    public static double UpperBound(int key, int schema)
    {
        if (schema > 0)
        {
            double[] bounds = FractionBounds[schema];
            int index = key & (bounds.Length - 1);
            int exponent = (key >> schema) + 1;
            return Math.ScaleB(bounds[index], exponent);
        }

        long exponentOfTwo = (long)key << -schema;
        return Math.ScaleB(1, (int)Math.Clamp(exponentOfTwo, -1100, 1100));
    }

    /// <summary>The key a bucket takes when the resolution halves: the bucket whose upper bound is the same or next above.</summary>
    public static int Halve(int key) => key > 0 ? (key + 1) / 2 : key / 2;

    /// <summary>
    /// Splits a positive finite double into a fraction in [0.5, 1) and a power of two, as C's and Go's <c>frexp</c>:
    /// <paramref name="value"/> = fraction * 2^exponent.
    /// </summary>
    public static (double Fraction, int Exponent) Frexp(double value)
    {
        const long ExponentMask = 0x7FF0000000000000;
        const long HalfExponent = 0x3FE0000000000000;
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits & ExponentMask) >> 52);
        int adjust = 0;
        if (biased == 0)
        {
            // A subnormal: scale it into the normal range first.
            bits = BitConverter.DoubleToInt64Bits(value * 18446744073709551616d);
            biased = (int)((bits & ExponentMask) >> 52);
            adjust = -64;
        }

        double fraction = BitConverter.Int64BitsToDouble((bits & ~ExponentMask) | HalfExponent);
        return (fraction, biased - 1022 + adjust);
    }

    private static double[][] CreateFractionBounds()
    {
        var all = new double[Max + 1][];
        for (int schema = 1; schema <= Max; schema++)
        {
            int count = 1 << schema;
            all[schema] = new double[count];
            for (int i = 0; i < count; i++)
            {
                all[schema][i] = Math.Pow(2, ((double)i / count) - 1);
            }
        }

        return all;
    }
}
