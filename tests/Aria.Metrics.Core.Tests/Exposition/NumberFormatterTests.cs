using System.Globalization;
using System.Numerics;
using System.Text;
using Aria.Metrics.Exposition;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Aria.Metrics.Tests.Exposition;

public class NumberFormatterTests
{
    private const long TwoPow53 = 1L << 53;

    // Expected texts are Go's strconv.FormatFloat(v, 'g', -1, 64) (several rows are taken from Go's own
    // ftoa_test.go), except where expfmt's writeFloat answers first (0, 1, -1, NaN, ±Inf).
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(2.5, "2.5")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(12.0, "12")]
    [InlineData(20.0, "20")]
    [InlineData(100.0, "100")]
    [InlineData(200000.0, "200000")]
    [InlineData(123456.0, "123456")]
    [InlineData(999999.0, "999999")]
    [InlineData(-999999.0, "-999999")]
    [InlineData(999999.5, "999999.5")]
    [InlineData(1e6, "1e+06")]
    [InlineData(-1e6, "-1e+06")]
    [InlineData(2e6, "2e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(1234567.8, "1.2345678e+06")]
    [InlineData(123456700.0, "1.234567e+08")]
    [InlineData(1e15, "1e+15")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e23, "1e+23")]
    [InlineData(9.999999999999997e+22, "9.999999999999997e+22")]
    [InlineData(1.0000000000000001e+23, "1.0000000000000001e+23")]
    [InlineData(383260575764816448.0, "3.8326057576481645e+17")]
    [InlineData(-5.8339553793802237e+23, "-5.8339553793802237e+23")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(9007199254740992.0, "9.007199254740992e+15")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.MinValue, "-1.7976931348623157e+308")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(0.005, "0.005")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(-0.0001, "-0.0001")]
    [InlineData(9.9999e-05, "9.9999e-05")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(-1.5e-5, "-1.5e-05")]
    [InlineData(1e-100, "1e-100")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(2.225073858507201e-308, "2.225073858507201e-308")]
    [InlineData(1e-310, "1e-310")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(-double.Epsilon, "-5e-324")]
    [InlineData(1e-323, "1e-323")]
    // Exact powers of two for which .NET 10's "R" yields digits that do not round-trip.
    [InlineData(2.9802322387695312e-08, "2.9802322387695312e-08")]
    [InlineData(4.1045368012983762e-289, "4.1045368012983762e-289")]
    [InlineData(0.5, "0.5")]
    [InlineData(1125899906842624.0, "1.125899906842624e+15")]
    public void WriteDouble_prints_what_Go_prints(double value, string expected)
    {
        Assert.Equal(expected, WriteDoubleText(value));
        Assert.Equal(expected, NumberFormatter.FormatGo(value));
    }

    [Fact]
    public void WriteDouble_prints_negative_zero_as_zero_like_expfmt()
    {
        Assert.Equal("0", WriteDoubleText(-0.0));
        Assert.Equal("0", NumberFormatter.FormatGo(-0.0));
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1L, "1")]
    [InlineData(-1L, "-1")]
    [InlineData(42L, "42")]
    [InlineData(-42L, "-42")]
    [InlineData(100L, "100")]
    [InlineData(123456L, "123456")]
    [InlineData(999999L, "999999")]
    [InlineData(-999999L, "-999999")]
    [InlineData(1000000L, "1e+06")]
    [InlineData(-1000000L, "-1e+06")]
    [InlineData(1000001L, "1.000001e+06")]
    [InlineData(1234567L, "1.234567e+06")]
    [InlineData(120000000L, "1.2e+08")]
    [InlineData(1000000000000000000L, "1e+18")]
    [InlineData(TwoPow53, "9.007199254740992e+15")]
    [InlineData(-TwoPow53, "-9.007199254740992e+15")]
    [InlineData(TwoPow53 + 1, "9.007199254740993e+15")]
    [InlineData(TwoPow53 + 10, "9.007199254741002e+15")]
    [InlineData(long.MaxValue, "9.223372036854775807e+18")]
    [InlineData(long.MinValue, "-9.223372036854775808e+18")]
    public void WriteInt64_prints_Go_layout_of_the_exact_integer(long value, string expected)
    {
        Assert.Equal(expected, WriteInt64Text(value));
    }

    [Fact]
    public void WriteInt64_prints_every_count_below_a_million_as_its_plain_decimal()
    {
        Span<byte> buffer = stackalloc byte[NumberFormatter.MaxLength];
        Span<byte> expected = stackalloc byte[NumberFormatter.MaxLength];
        for (long value = -1000; value < 1_000_000; value++)
        {
            int length = NumberFormatter.WriteInt64(value, buffer);
            Assert.True(value.TryFormat(expected, out int expectedLength, default, CultureInfo.InvariantCulture));
            if (!buffer[..length].SequenceEqual(expected[..expectedLength]))
            {
                Assert.Fail($"{value} came out as '{Encoding.ASCII.GetString(buffer[..length])}'");
            }
        }
    }

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.25, "0.25")]
    [InlineData(1.0, "1.0")]
    [InlineData(-1.0, "-1.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(10.0, "10.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(123456.0, "123456.0")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void FormatOpenMetricsCanonical_appends_point_zero_to_integral_texts(double value, string expected)
    {
        Assert.Equal(expected, NumberFormatter.FormatOpenMetricsCanonical(value));
    }

    [Fact]
    public void FormatOpenMetricsCanonical_prints_negative_zero_as_zero_like_client_golang()
    {
        Assert.Equal("0.0", NumberFormatter.FormatOpenMetricsCanonical(-0.0));
    }

    // Powers of two are the only doubles whose lower and upper rounding gaps differ, which is where shortest
    // digit generators go wrong; there are few enough of them to check every one.
    [Fact]
    public void WriteDouble_matches_Go_for_every_power_of_two()
    {
        for (int exponent = -1074; exponent <= 1023; exponent++)
        {
            double value = Math.ScaleB(1.0, exponent);
            if (value == 1.0)
            {
                continue;
            }

            Assert.Equal(GoReference.FormatG(value), WriteDoubleText(value));
            Assert.Equal(GoReference.FormatG(-value), WriteDoubleText(-value));
        }
    }

    [Property(Arbitrary = [typeof(FiniteDoubles)], MaxTest = 2000)]
    public bool FormatGo_round_trips_every_finite_double(double value)
    {
        double parsed = double.Parse(NumberFormatter.FormatGo(value), CultureInfo.InvariantCulture);
        long expectedBits = BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return BitConverter.DoubleToInt64Bits(parsed) == expectedBits;
    }

    [Property(Arbitrary = [typeof(FiniteDoubles)], MaxTest = 1000)]
    public bool WriteDouble_agrees_with_an_exact_model_of_Go(double value)
    {
        string expected = value == 0 ? "0" : GoReference.FormatG(value);
        return WriteDoubleText(value) == expected;
    }

    [Property(Arbitrary = [typeof(Int64Values)], MaxTest = 2000)]
    public bool WriteInt64_equals_WriteDouble_up_to_2_pow_53(long raw)
    {
        long value = raw % (TwoPow53 + 1);
        return WriteInt64Text(value) == WriteDoubleText(value);
    }

    [Property(Arbitrary = [typeof(Int64Values)], MaxTest = 2000)]
    public bool WriteInt64_text_denotes_the_exact_integer_and_parses_to_the_nearest_double(long value)
    {
        string text = WriteInt64Text(value);
        return ParseExactInteger(text) == new BigInteger(value)
            && double.Parse(text, CultureInfo.InvariantCulture) == value;
    }

    [Property(Arbitrary = [typeof(AnyDoubles)], MaxTest = 2000)]
    public bool WriteDouble_output_is_short_ascii(double value)
    {
        Span<byte> buffer = stackalloc byte[NumberFormatter.MaxLength];
        int length = NumberFormatter.WriteDouble(value, buffer);
        return length is > 0 and <= NumberFormatter.MaxLength && Ascii.IsValid(buffer[..length]);
    }

    [Property(Arbitrary = [typeof(Int64Values)], MaxTest = 2000)]
    public bool WriteInt64_output_is_short_ascii(long value)
    {
        Span<byte> buffer = stackalloc byte[NumberFormatter.MaxLength];
        int length = NumberFormatter.WriteInt64(value, buffer);
        return length is > 0 and <= NumberFormatter.MaxLength && Ascii.IsValid(buffer[..length]);
    }

    [Property(Arbitrary = [typeof(AnyDoubles)], MaxTest = 2000)]
    public bool FormatOpenMetricsCanonical_round_trips_and_never_reads_as_an_integer(double value)
    {
        string text = NumberFormatter.FormatOpenMetricsCanonical(value);
        if (double.IsNaN(value))
        {
            return text == "NaN";
        }

        if (double.IsInfinity(value))
        {
            return text == (value > 0 ? "+Inf" : "-Inf");
        }

        double parsed = double.Parse(text, CultureInfo.InvariantCulture);
        return parsed == value
            && BitConverter.DoubleToInt64Bits(parsed) == BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value)
            && (text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal))
            && text.Length <= NumberFormatter.MaxLength;
    }

    [Fact]
    public void WriteDouble_and_WriteInt64_do_not_allocate()
    {
        double[] doubles = [0.0, 1.0, -1.0, 2.5, 1e6, 1234567.8, 1e-5, 5e-324, double.MaxValue, double.NaN, double.NegativeInfinity, Math.ScaleB(1.0, -25), 0.1 + 0.2];
        long[] longs = [0, 1, -1, 999999, 1000000, 1234567, TwoPow53 + 1, long.MaxValue, long.MinValue];
        Span<byte> buffer = stackalloc byte[NumberFormatter.MaxLength];

        // Warm-up: first calls may JIT, initialise the invariant NumberFormatInfo and so on.
        int sink = 0;
        foreach (double d in doubles)
        {
            sink += NumberFormatter.WriteDouble(d, buffer);
        }

        foreach (long l in longs)
        {
            sink += NumberFormatter.WriteInt64(l, buffer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sink += NumberFormatter.WriteDouble(doubles[i % doubles.Length], buffer);
            sink += NumberFormatter.WriteInt64(longs[i % longs.Length], buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sink > 0);
    }

    [Fact]
    public void Writers_reject_destinations_shorter_than_MaxLength()
    {
        byte[] tooShort = new byte[NumberFormatter.MaxLength - 1];
        Assert.Throws<ArgumentOutOfRangeException>(() => NumberFormatter.WriteDouble(1.5, tooShort));
        Assert.Throws<ArgumentOutOfRangeException>(() => NumberFormatter.WriteInt64(15, tooShort));
    }

    private static string WriteDoubleText(double value)
    {
        Span<byte> buffer = stackalloc byte[NumberFormatter.MaxLength];
        int length = NumberFormatter.WriteDouble(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }

    private static string WriteInt64Text(long value)
    {
        Span<byte> buffer = stackalloc byte[NumberFormatter.MaxLength];
        int length = NumberFormatter.WriteInt64(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }

    // Reads "-d.ddde+NN" or "ddd" as an exact integer; throws if the text denotes a fraction.
    private static BigInteger ParseExactInteger(string text)
    {
        bool negative = text.StartsWith('-');
        string unsigned = negative ? text[1..] : text;
        int e = unsigned.IndexOf('e', StringComparison.Ordinal);
        string mantissa = e < 0 ? unsigned : unsigned[..e];
        int exponent = e < 0 ? 0 : int.Parse(unsigned[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.', StringComparison.Ordinal);
        if (point >= 0)
        {
            exponent -= mantissa.Length - point - 1;
            mantissa = mantissa.Remove(point, 1);
        }

        Assert.True(exponent >= 0, $"'{text}' is not an integer");
        BigInteger magnitude = BigInteger.Parse(mantissa, NumberStyles.None, CultureInfo.InvariantCulture) * BigInteger.Pow(10, exponent);
        return negative ? -magnitude : magnitude;
    }

    // Bit patterns reach every exponent and subnormals; the other branches produce the values metrics
    // actually carry (short decimals, integers, bucket-style powers of two) and the layout boundaries.
    private static Gen<double> FiniteDoubleGen()
    {
        Gen<long> bits = Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(p => ((long)p.Item1 << 32) | (uint)p.Item2);
        Gen<double> anyBits = bits.Select(BitConverter.Int64BitsToDouble).Where(double.IsFinite);
        Gen<double> subnormal = bits.Select(b => BitConverter.Int64BitsToDouble(b & unchecked((long)0x800F_FFFF_FFFF_FFFFUL)));
        Gen<double> shortDecimal = Gen.Zip(Gen.Choose(-999_999, 999_999), Gen.Choose(-12, 12))
            .Select(p => double.Parse($"{p.Item1}e{p.Item2}", CultureInfo.InvariantCulture));
        Gen<double> integral = Gen.Choose(int.MinValue, int.MaxValue).Select(i => (double)i);
        Gen<double> powerOfTwo = Gen.Zip(Gen.Choose(-1074, 1023), Gen.Elements(1.0, -1.0))
            .Select(p => p.Item2 * Math.ScaleB(1.0, p.Item1));
        Gen<double> neighbours = Gen.Zip(Gen.Choose(-323, 308), Gen.Choose(-2, 2))
            .Select(p => Step(double.Parse($"1e{p.Item1}", CultureInfo.InvariantCulture), p.Item2));
        Gen<double> special = Gen.Elements(0.0, -0.0, 1.0, -1.0, double.MaxValue, double.MinValue, double.Epsilon, 0.1 + 0.2, 999999.0, 1e6, 1e-4, 1e-5);
        return Gen.Frequency(
            (4, anyBits),
            (1, subnormal),
            (3, shortDecimal),
            (2, integral),
            (1, powerOfTwo),
            (1, neighbours),
            (1, special));
    }

    private static double Step(double value, int steps)
    {
        for (; steps > 0; steps--)
        {
            value = Math.BitIncrement(value);
        }

        for (; steps < 0; steps++)
        {
            value = Math.BitDecrement(value);
        }

        return value;
    }

    public static class FiniteDoubles
    {
        public static Arbitrary<double> Double() => Arb.From(FiniteDoubleGen());
    }

    public static class AnyDoubles
    {
        public static Arbitrary<double> Double() => Arb.From(Gen.Frequency(
            (9, FiniteDoubleGen()),
            (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity))));
    }

    public static class Int64Values
    {
        public static Arbitrary<long> Int64()
        {
            Gen<long> anyBits = Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
                .Select(p => ((long)p.Item1 << 32) | (uint)p.Item2);
            Gen<long> small = Gen.Choose(-2_000_000, 2_000_000).Select(i => (long)i);
            // Values with trailing zeros and values straddling powers of ten exercise the zero trimming.
            Gen<long> roundish = Gen.Zip(Gen.Zip(Gen.Choose(-99_999, 99_999), Gen.Choose(0, 13)), Gen.Choose(-1, 1))
                .Select(p => (p.Item1.Item1 * (long)Math.Pow(10, p.Item1.Item2)) + p.Item2);
            Gen<long> nearTwoPow53 = Gen.Choose(-1000, 1000).Select(i => TwoPow53 + i);
            Gen<long> extremes = Gen.Elements(long.MinValue, long.MinValue + 1, long.MaxValue, long.MaxValue - 1, 0L, -TwoPow53, TwoPow53);
            return Arb.From(Gen.Frequency(
                (4, anyBits),
                (2, small),
                (2, roundish),
                (1, nearTwoPow53),
                (1, extremes)));
        }
    }
}

// An exact, deliberately naive model of strconv.FormatFloat(v, 'g', -1, 64): it searches for the shortest
// decimal inside the rounding interval with BigInteger arithmetic instead of trusting any formatter, so
// it can catch a wrong digit from .NET as well as a wrong layout from us.
internal static class GoReference
{
    public static string FormatG(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        string sign = double.IsNegative(value) ? "-" : string.Empty;
        if (value == 0)
        {
            return sign + "0";
        }

        (string digits, int decimalPoint) = ShortestDigits(Math.Abs(value));
        int exponent = decimalPoint - 1;
        if (exponent < -4 || exponent >= 6)
        {
            string fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
            string exponentSign = exponent < 0 ? "-" : "+";
            string exponentDigits = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return sign + digits[0] + fraction + "e" + exponentSign + exponentDigits;
        }

        if (decimalPoint <= 0)
        {
            return sign + "0." + new string('0', -decimalPoint) + digits;
        }

        if (decimalPoint >= digits.Length)
        {
            return sign + digits + new string('0', decimalPoint - digits.Length);
        }

        return sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
    }

    // Returns digits without trailing zeros and the decimal point position: value ≈ 0.digits × 10^decimalPoint.
    private static (string Digits, int DecimalPoint) ShortestDigits(double value)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        int biasedExponent = (int)(bits >> 52) & 0x7FF;
        ulong mantissa = bits & ((1UL << 52) - 1);
        int exponent = biasedExponent == 0 ? -1022 : biasedExponent - 1023;
        if (biasedExponent != 0)
        {
            mantissa |= 1UL << 52;
        }

        // value = mantissa × 2^(exponent-52). The rounding interval runs halfway to each neighbour; the
        // lower neighbour is closer when the mantissa is a bare power of two above the subnormal range.
        int binaryExponent = exponent - 52;
        BigInteger m = mantissa;
        bool narrowBelow = mantissa == 1UL << 52 && exponent > -1022;
        int unitExponent = binaryExponent - (narrowBelow ? 2 : 1);
        BigInteger scaledValue = m << (binaryExponent - unitExponent);
        BigInteger upper = ((2 * m) + 1) << (binaryExponent - 1 - unitExponent);
        BigInteger lower = narrowBelow ? (4 * m) - 1 : (2 * m) - 1;

        // IEEE round-half-even maps a tie back onto an even mantissa, so the bounds then belong to it.
        bool inclusive = mantissa % 2 == 0;

        int start = (int)Math.Floor(Math.Log10(value)) + 2;
        for (int q = start; ; q--)
        {
            // Compare candidate D × 10^q with X × 2^unitExponent as D × left versus X × right.
            BigInteger left = BigInteger.Pow(10, Math.Max(q, 0)) << Math.Max(-unitExponent, 0);
            BigInteger right = BigInteger.Pow(10, Math.Max(-q, 0)) << Math.Max(unitExponent, 0);
            BigInteger x = scaledValue * right;
            BigInteger lo = lower * right;
            BigInteger hi = upper * right;
            BigInteger down = x / left;
            BigInteger up = down + 1;

            bool downOk = !down.IsZero && (inclusive ? down * left >= lo : down * left > lo);
            bool upOk = inclusive ? up * left <= hi : up * left < hi;
            if (!downOk && !upOk)
            {
                continue;
            }

            BigInteger chosen;
            if (downOk && upOk)
            {
                BigInteger belowDistance = x - (down * left);
                BigInteger aboveDistance = (up * left) - x;
                chosen = belowDistance < aboveDistance ? down
                    : aboveDistance < belowDistance ? up
                    : down.IsEven ? down : up;
            }
            else
            {
                chosen = downOk ? down : up;
            }

            string text = chosen.ToString(CultureInfo.InvariantCulture);
            return (text.TrimEnd('0'), text.Length + q);
        }
    }
}
