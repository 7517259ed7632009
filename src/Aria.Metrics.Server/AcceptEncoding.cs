using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>Reads Accept-Encoding (RFC 9110 section 12.5.3) for the one coding we produce: gzip.</summary>
internal static class AcceptEncoding
{
    /// <summary>
    /// True when gzip has a quality above zero, named as <c>gzip</c> (or the old <c>x-gzip</c>) or else through
    /// <c>*</c>. An explicit <c>gzip;q=0</c> refuses it whatever <c>*</c> says.
    /// </summary>
    public static bool AllowsGzip(StringValues acceptEncoding)
    {
        double? gzip = null;
        double? any = null;
        foreach (ReadOnlySpan<char> element in new HeaderElements(acceptEncoding))
        {
            ReadOnlySpan<char> coding = HeaderElements.ValueOf(element);
            bool isGzip = coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
            if (!isGzip && coding is not "*")
            {
                continue;
            }

            double quality = 1;
            bool wellFormed = true;
            ReadOnlySpan<char> rest = element;
            while (HeaderElements.NextParameter(ref rest, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value))
            {
                if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
                {
                    wellFormed = HeaderElements.TryParseQuality(value, out quality);
                }
            }

            if (!wellFormed)
            {
                continue;
            }

            if (isGzip)
            {
                gzip = Math.Max(gzip ?? 0, quality);
            }
            else
            {
                any = Math.Max(any ?? 0, quality);
            }
        }

        return (gzip ?? any ?? 0) > 0;
    }
}
