using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Aria.Metrics.Exposition;

// Sample values and label values must be byte-identical to what Prometheus' Go client emits, so that
// scrapes, golden files and dashboards cannot tell the two apart. Go prints floats with
// strconv.FormatFloat(v, 'g', -1, 64); .NET already computes the same shortest round-trip digits, so we
// take its digits and only redo the layout (Go switches to exponent form much earlier and always writes
// a signed, two-digit-minimum exponent in lower case).
internal static class NumberFormatter
{
    // Longest outputs are 25 bytes ("-9.223372036854775808e+18", "-1.7976931348623157e+308" is 24);
    // 32 leaves headroom and lets callers reserve one fixed-size chunk per number.
    public const int MaxLength = 32;

    // A double never needs more than 17 significant digits to round-trip.
    private const int MaxSignificantDigits = 17;

    // Go's %g with shortest precision uses exponent form from 1e+06 on (eprec is forced to 6), not the
    // 21 digits of JavaScript or the 15 of .NET's "R".
    private const int ExponentThreshold = 6;

    private const ulong MantissaMask = (1UL << 52) - 1;

    public static int WriteDouble(double value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength);

        // expfmt's writeFloat answers these before calling strconv. Because it tests f == 0, negative
        // zero comes out as "0" rather than strconv's "-0".
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        if (value == 1)
        {
            destination[0] = (byte)'1';
            return 1;
        }

        if (value == -1)
        {
            destination[0] = (byte)'-';
            destination[1] = (byte)'1';
            return 2;
        }

        return WriteGoShortest(value, destination);
    }

    /// <summary>
    /// A whole number below one million in plain decimal; the caller guarantees <see cref="MaxLength"/> bytes of room.
    /// Its eight decimal digits are computed side by side in one 64-bit word (two halves of four digits, each split
    /// into two pairs, each pair into two digits, with multiplications by reciprocals instead of divisions), the leading
    /// zeros are counted from the word and shifted out, and the digits are stored in one write: no loop and no branch on
    /// the number's length, which at a scrape of many counters mispredicted whenever two neighbours differed in length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteSmall(uint value, Span<byte> destination)
    {
        // value < 10^8: the high four digits in the low lane (they are written first), the low four in the high lane.
        uint high = value / 10_000;
        ulong lanes = high | ((ulong)(value - (high * 10_000)) << 32);

        // Each 32-bit lane, below 10^4, over 100: x * 10486 >> 20 is exact below 43,699, and stays inside its lane.
        ulong hundreds = ((lanes * 10_486) >> 20) & 0x0000_007F_0000_007F;
        lanes = hundreds | ((lanes - (hundreds * 100)) << 16);

        // Each 16-bit lane, below 100, over 10: x * 103 >> 10 is exact below 179.
        ulong tens = ((lanes * 103) >> 10) & 0x000F_000F_000F_000F;
        ulong digits = tens | ((lanes - (tens * 10)) << 8);

        // One digit byte per decimal place, the most significant in the lowest byte: the leading zeros are the low zero
        // bytes (at most seven: zero is written as one "0").
        int leadingZeros = Math.Min(BitOperations.TrailingZeroCount(digits) >> 3, 7);
        ulong text = (digits + 0x3030_3030_3030_3030) >> (leadingZeros * 8);
        if (!BitConverter.IsLittleEndian)
        {
            text = BinaryPrimitives.ReverseEndianness(text);
        }

        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(destination), text);
        return 8 - leadingZeros;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteInt64(long value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength);

        // Below 1e6 Go's %g prints whole numbers plainly. Counts, the bulk of every scrape, are mostly small and
        // not negative: written in line, without the general formatter's dispatch.
        return (ulong)value < 1_000_000 ? WriteSmall((uint)value, destination) : WriteLarge(value, destination);
    }

    /// <summary><see cref="WriteInt64"/> of a negative number or one of a million or more.</summary>
    private static int WriteLarge(long value, Span<byte> destination)
    {
        if (value > -1_000_000 && value < 1_000_000)
        {
            value.TryFormat(destination, out int plainLength, default, CultureInfo.InvariantCulture);
            return plainLength;
        }

        int position = 0;
        ulong magnitude;
        if (value < 0)
        {
            destination[position++] = (byte)'-';
            // Negating in ulong space keeps long.MinValue from overflowing.
            magnitude = 0UL - unchecked((ulong)value);
        }
        else
        {
            magnitude = (ulong)value;
        }

        // Leave one byte free before the digits so the decimal point can be slid in behind the first digit
        // without moving the rest.
        int firstDigit = position + 1;
        magnitude.TryFormat(destination[firstDigit..], out int digitCount, default, CultureInfo.InvariantCulture);

        // Up to 2^53 every integer is exactly a double whose shortest digits are its own significant digits,
        // so trimming zeros reproduces WriteDouble((double)value). Above 2^53 keeping every digit is what
        // lets the text denote the exact integer while still parsing to the nearest double.
        int lastDigit = firstDigit + digitCount - 1;
        while (destination[lastDigit] == (byte)'0')
        {
            lastDigit--;
        }

        destination[position++] = destination[firstDigit];
        if (lastDigit > firstDigit)
        {
            destination[position] = (byte)'.';
            position = lastDigit + 1;
        }

        // |value| >= 1e6 and < 1e19, so the exponent is always positive and two digits wide.
        int exponent = digitCount - 1;
        destination[position++] = (byte)'e';
        destination[position++] = (byte)'+';
        destination[position++] = (byte)('0' + (exponent / 10));
        destination[position++] = (byte)('0' + (exponent % 10));
        return position;
    }

    public static string FormatGo(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        int length = WriteDouble(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }

    public static string FormatOpenMetricsCanonical(double value)
    {
        // client_golang's writeOpenMetricsFloat also tests f == 0 first, so negative zero is "0.0" there too.
        if (value == 0)
        {
            return "0.0";
        }

        Span<byte> buffer = stackalloc byte[MaxLength];
        int length = WriteGoShortest(value, buffer);

        // OpenMetrics wants le="1.0", not le="1", so that label values compare equal as strings across
        // exporters; Go appends ".0" only when the text reads as an integer.
        if (double.IsFinite(value) && buffer[..length].IndexOfAny((byte)'.', (byte)'e') < 0)
        {
            buffer[length++] = (byte)'.';
            buffer[length++] = (byte)'0';
        }

        return Encoding.ASCII.GetString(buffer[..length]);
    }

    private static int WriteGoShortest(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            ReadOnlySpan<byte> text = double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8;
            text.CopyTo(destination);
            return text.Length;
        }

        Span<byte> digits = stackalloc byte[MaxLength];
        ShortestDigits(value, digits, out int digitCount, out int decimalPoint);

        int position = 0;
        if (double.IsNegative(value))
        {
            destination[position++] = (byte)'-';
        }

        // Go's decimalSlice convention: value = 0.d1d2d3... * 10^decimalPoint, so the scientific exponent
        // is one less. Zero has no digits and Go lays it out in the fixed branch.
        int exponent = decimalPoint - 1;
        if (digitCount != 0 && (exponent < -4 || exponent >= ExponentThreshold))
        {
            return WriteExponentLayout(digits[..digitCount], exponent, destination, position);
        }

        return WriteFixedLayout(digits[..digitCount], decimalPoint, destination, position);
    }

    private static int WriteExponentLayout(ReadOnlySpan<byte> digits, int exponent, Span<byte> destination, int position)
    {
        destination[position++] = digits[0];
        if (digits.Length > 1)
        {
            destination[position++] = (byte)'.';
            digits[1..].CopyTo(destination[position..]);
            position += digits.Length - 1;
        }

        destination[position++] = (byte)'e';
        if (exponent < 0)
        {
            destination[position++] = (byte)'-';
            exponent = -exponent;
        }
        else
        {
            destination[position++] = (byte)'+';
        }

        // Go pads to two digits (1e+06, 1e-05) but never beyond what the value needs (1e+300).
        if (exponent >= 100)
        {
            destination[position++] = (byte)('0' + (exponent / 100));
            exponent %= 100;
        }

        destination[position++] = (byte)('0' + (exponent / 10));
        destination[position++] = (byte)('0' + (exponent % 10));
        return position;
    }

    private static int WriteFixedLayout(ReadOnlySpan<byte> digits, int decimalPoint, Span<byte> destination, int position)
    {
        if (decimalPoint > 0)
        {
            int integerDigits = Math.Min(digits.Length, decimalPoint);
            digits[..integerDigits].CopyTo(destination[position..]);
            position += integerDigits;
            for (int i = integerDigits; i < decimalPoint; i++)
            {
                destination[position++] = (byte)'0';
            }
        }
        else
        {
            destination[position++] = (byte)'0';
        }

        int fractionDigits = digits.Length - decimalPoint;
        if (fractionDigits > 0)
        {
            destination[position++] = (byte)'.';
            for (int i = 0; i < fractionDigits; i++)
            {
                int index = decimalPoint + i;
                destination[position++] = index >= 0 ? digits[index] : (byte)'0';
            }
        }

        return position;
    }

    // Produces the significant digits (no leading or trailing zeros) and the decimal point position of the
    // shortest decimal that parses back to |value|, choosing the closest one when several qualify; that is
    // the contract of both Go's Ryu and .NET's "R".
    private static void ShortestDigits(double value, Span<byte> digits, out int digitCount, out int decimalPoint)
    {
        double magnitude = Math.Abs(value);
        Span<byte> text = stackalloc byte[MaxLength];
        magnitude.TryFormat(text, out int textLength, "R", CultureInfo.InvariantCulture);
        ParseDecimal(text[..textLength], digits, out digitCount, out decimalPoint);

        // For exact powers of two the gap to the next lower double is half the gap to the next higher one.
        // .NET 10's "R" sometimes ignores that asymmetry and returns digits that parse to the neighbour
        // below (2^-25 gives 2.980232238769531E-08, Go 2.9802322387695312e-08). Only the ~2000 powers of two
        // can be affected, so verifying just them keeps the extra parse off ordinary samples.
        if ((BitConverter.DoubleToUInt64Bits(magnitude) & MantissaMask) == 0 && magnitude != 0
            && (!double.TryParse(text[..textLength], NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
                || parsed != magnitude))
        {
            ShortestDigitsByRounding(magnitude, digits, out digitCount, out decimalPoint);
        }
    }

    // Slow but exact fallback, used for powers of two only: the shortest round-trip decimal is the first
    // precision p at which one of the two p-digit neighbours of the value parses back to it (parsing's
    // round-half-even accepts exactly Go's inclusive bounds, as the mantissa is even). The correctly rounded
    // p-digit value is the nearer neighbour; when it falls just outside the narrow lower half-gap, the one
    // above may still lie within the upper half-gap, twice as wide, and is then Go's choice. When the
    // nearer one lies above and fails, the one below is farther away on the narrow side and fails too.
    private static void ShortestDigitsByRounding(double magnitude, Span<byte> digits, out int digitCount, out int decimalPoint)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        Span<char> format = stackalloc char[3];
        format[0] = 'E';
        for (int precision = 1; precision < MaxSignificantDigits; precision++)
        {
            int fractionDigits = precision - 1;
            int formatLength = 2;
            if (fractionDigits >= 10)
            {
                format[1] = (char)('0' + (fractionDigits / 10));
                format[2] = (char)('0' + (fractionDigits % 10));
                formatLength = 3;
            }
            else
            {
                format[1] = (char)('0' + fractionDigits);
            }

            magnitude.TryFormat(text, out int textLength, format[..formatLength], CultureInfo.InvariantCulture);
            ParseDecimal(text[..textLength], digits, out digitCount, out decimalPoint);
            double nearest = ParseDigits(digits[..digitCount], decimalPoint, text);
            if (nearest == magnitude)
            {
                return;
            }

            if (nearest < magnitude)
            {
                IncrementAt(digits, precision, ref digitCount, ref decimalPoint);
                if (ParseDigits(digits[..digitCount], decimalPoint, text) == magnitude)
                {
                    return;
                }
            }
        }

        // Seventeen correctly rounded digits always round-trip.
        magnitude.TryFormat(text, out int fullLength, "E16", CultureInfo.InvariantCulture);
        ParseDecimal(text[..fullLength], digits, out digitCount, out decimalPoint);
    }

    // Adds one unit in the last place of a precision-digit decimal, carrying as far as needed.
    private static void IncrementAt(Span<byte> digits, int precision, ref int digitCount, ref int decimalPoint)
    {
        // Restore the trailing zeros that ParseDecimal trimmed, so the unit lands at the right place.
        digits[digitCount..precision].Fill((byte)'0');
        int index = precision - 1;
        while (index >= 0 && digits[index] == (byte)'9')
        {
            digits[index--] = (byte)'0';
        }

        if (index < 0)
        {
            digits[0] = (byte)'1';
            digitCount = 1;
            decimalPoint++;
            return;
        }

        digits[index]++;
        digitCount = index + 1;
    }

    private static double ParseDigits(ReadOnlySpan<byte> digits, int decimalPoint, Span<byte> scratch)
    {
        // 0.DDDDe<decimalPoint> is the decimalSlice convention written out literally.
        int position = 0;
        scratch[position++] = (byte)'0';
        scratch[position++] = (byte)'.';
        digits.CopyTo(scratch[position..]);
        position += digits.Length;
        scratch[position++] = (byte)'e';
        decimalPoint.TryFormat(scratch[position..], out int exponentLength, default, CultureInfo.InvariantCulture);
        position += exponentLength;
        double.TryParse(scratch[..position], NumberStyles.Float, CultureInfo.InvariantCulture, out double result);
        return result;
    }

    // Reads .NET's invariant output ("123.456", "0.0001", "1.5E-05", "9.9E+300") into digits and the
    // position of the decimal point relative to the first significant digit.
    private static void ParseDecimal(ReadOnlySpan<byte> text, Span<byte> digits, out int digitCount, out int decimalPoint)
    {
        digitCount = 0;
        decimalPoint = 0;
        bool afterPoint = false;
        int index = 0;
        if (index < text.Length && text[index] == (byte)'-')
        {
            index++;
        }

        for (; index < text.Length; index++)
        {
            byte c = text[index];
            if (c == (byte)'.')
            {
                afterPoint = true;
                continue;
            }

            if (c is (byte)'E' or (byte)'e')
            {
                index++;
                break;
            }

            if (digitCount == 0 && c == (byte)'0')
            {
                // Leading zeros carry no digits; after the point each one moves the point left.
                if (afterPoint)
                {
                    decimalPoint--;
                }

                continue;
            }

            digits[digitCount++] = c;
            if (!afterPoint)
            {
                decimalPoint++;
            }
        }

        if (index < text.Length)
        {
            bool negative = text[index] == (byte)'-';
            if (text[index] is (byte)'-' or (byte)'+')
            {
                index++;
            }

            int exponent = 0;
            for (; index < text.Length; index++)
            {
                exponent = (exponent * 10) + (text[index] - '0');
            }

            decimalPoint += negative ? -exponent : exponent;
        }

        while (digitCount > 0 && digits[digitCount - 1] == (byte)'0')
        {
            digitCount--;
        }

        if (digitCount == 0)
        {
            decimalPoint = 0;
        }
    }
}
