using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Aria.Metrics.Tests.Properties;

/// <summary>Generators for the domain: label values that stress escaping, and doubles that stress formatting.</summary>
internal static class Generators
{
    /// <summary>Well-formed strings biased towards what escaping must get right: quotes, backslashes, newlines, non-ASCII.</summary>
    public static Gen<string> LabelValue { get; } =
        Gen.ArrayOf(Gen.Frequency(
                (6, Gen.Choose(0x20, 0x7E)),
                (3, Gen.Elements('"', '\\', '\n', '\t', '\r', '{', '}', ',', '=', ' ').Select(c => (int)c)),
                (2, Gen.Choose(0xA0, 0xD7FF)),
                (1, Gen.Choose(0xE000, 0xFFFD)),
                (1, Gen.Choose(0x10000, 0x10FFFF)),
                (1, Gen.Choose(0x01, 0x1F))))
            .Select(codePoints =>
            {
                var builder = new StringBuilder();
                foreach (int codePoint in codePoints)
                {
                    builder.Append(new Rune(codePoint).ToString());
                }

                return builder.ToString();
            });

    /// <summary>Doubles across every regime of the Go formatting rules, special values included.</summary>
    public static Gen<double> AnyDouble { get; } = Gen.Frequency(
        (2, Gen.Elements(
            0.0, -0.0, 1, -1, 0.1, 0.5, 2.5, 1e-4, 1e-5, 99999, 999999, 1e6, 123456, 1234567, 1e21, 1e22,
            double.Epsilon, double.MaxValue, double.MinValue, 9007199254740992, 9007199254740993, 1.0 / 3,
            double.NaN, double.PositiveInfinity, double.NegativeInfinity)),
        (3, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (double)i)),
        (3, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1000.0)),
        (4, Gen.Choose(int.MinValue, int.MaxValue).SelectMany(
            high => Gen.Choose(int.MinValue, int.MaxValue),
            (high, low) => BitConverter.Int64BitsToDouble(((long)high << 32) | (uint)low))));

    /// <summary>Values a counter may hold: finite and not negative.</summary>
    public static Gen<double> CounterValue { get; } = AnyDouble.Select(Math.Abs).Where(double.IsFinite);
}
