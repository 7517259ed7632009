// TEMPORARY stand-in until the real formatter lands from its branch. Not committed.
using System.Globalization;
namespace Aria.Metrics.Exposition;
internal static class NumberFormatter
{
    public const int MaxLength = 32;
    public static int WriteDouble(double value, Span<byte> destination) { var s = FormatGo(value); return System.Text.Encoding.ASCII.GetBytes(s, destination); }
    public static int WriteInt64(long value, Span<byte> destination) { value.TryFormat(destination, out int n, default, CultureInfo.InvariantCulture); return n; }
    public static string FormatGo(double value) => double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);
    public static string FormatOpenMetricsCanonical(double value) { var s = FormatGo(value); return s.Contains('.') || s.Contains('e') || s.Contains('E') || s.Contains("Inf") || s == "NaN" ? s : s + ".0"; }
}
