using Aria.Metrics.Exposition;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// Chooses the exposition format from an Accept header, honouring q-values and the most specific matching media range
/// (RFC 9110 section 12.5.1). Prometheus 2.x and 3.x rank OpenMetrics first and get it; no Accept, <c>*/*</c>,
/// <c>text/plain</c>, or anything we cannot serve get text 0.0.4, which every client understands.
/// </summary>
internal static class ContentNegotiation
{
    public static ExpositionFormat Negotiate(StringValues accept)
    {
        var openMetrics = default(Match);
        var text = default(Match);
        int position = 0;
        foreach (ReadOnlySpan<char> element in new HeaderElements(accept))
        {
            if (TryParseRange(element, out ReadOnlySpan<char> type, out ReadOnlySpan<char> subtype, out ReadOnlySpan<char> version, out double quality))
            {
                openMetrics.Consider(OpenMetricsSpecificity(type, subtype, version), quality, position);
                text.Consider(TextSpecificity(type, subtype, version), quality, position);
            }

            position++;
        }

        return Prefers(openMetrics, text) ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
    }

    /// <summary>
    /// Higher quality wins; at equal quality the more specific range (one that names OpenMetrics over <c>*/*</c>),
    /// then the one listed first. Text wins every remaining tie, and when neither format is acceptable.
    /// </summary>
    private static bool Prefers(Match openMetrics, Match text)
    {
        if (openMetrics.Quality <= 0)
        {
            return false;
        }

        if (openMetrics.Quality != text.Quality)
        {
            return openMetrics.Quality > text.Quality;
        }

        if (openMetrics.Specificity != text.Specificity)
        {
            return openMetrics.Specificity > text.Specificity;
        }

        return openMetrics.Position < text.Position;
    }

    private static bool TryParseRange(
        ReadOnlySpan<char> element,
        out ReadOnlySpan<char> type,
        out ReadOnlySpan<char> subtype,
        out ReadOnlySpan<char> version,
        out double quality)
    {
        ReadOnlySpan<char> mediaType = HeaderElements.ValueOf(element);
        int slash = mediaType.IndexOf('/');
        type = slash < 0 ? default : mediaType[..slash].Trim();
        subtype = slash < 0 ? default : mediaType[(slash + 1)..].Trim();
        version = default;
        quality = 1;
        if (type.IsEmpty || subtype.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> rest = element;
        while (HeaderElements.NextParameter(ref rest, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value))
        {
            if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                if (!HeaderElements.TryParseQuality(value, out quality))
                {
                    return false;
                }
            }
            else if (name.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                version = value;
            }
        }

        return true;
    }

    // Specificity: 3 names the type and a version we serve, 2 the type alone, 1 is type/*, 0 is */*; -1 does not match.
    // OpenMetrics 0.0.1 and 1.0.0 are the same text format; Prometheus lists both and we answer 1.0.0.
    private static int OpenMetricsSpecificity(ReadOnlySpan<char> type, ReadOnlySpan<char> subtype, ReadOnlySpan<char> version) =>
        Specificity(type, subtype, version, "application", "openmetrics-text", "1.0.0", "0.0.1");

    // text/plain;version=1.0.0 (Prometheus 3's UTF-8 names) is another format, so it does not match text 0.0.4.
    private static int TextSpecificity(ReadOnlySpan<char> type, ReadOnlySpan<char> subtype, ReadOnlySpan<char> version) =>
        Specificity(type, subtype, version, "text", "plain", "0.0.4", "0.0.4");

    private static int Specificity(
        ReadOnlySpan<char> type,
        ReadOnlySpan<char> subtype,
        ReadOnlySpan<char> version,
        string servedType,
        string servedSubtype,
        string servedVersion,
        string alsoServedVersion)
    {
        if (type is "*")
        {
            return subtype is "*" ? 0 : -1;
        }

        if (!type.Equals(servedType, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        if (subtype is "*")
        {
            return 1;
        }

        if (!subtype.Equals(servedSubtype, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        if (version.IsEmpty)
        {
            return 2;
        }

        return version.SequenceEqual(servedVersion) || version.SequenceEqual(alsoServedVersion) ? 3 : -1;
    }

    /// <summary>The best range seen so far for one format: the most specific, then the highest quality among those.</summary>
    private struct Match
    {
        public int Specificity;
        public double Quality;
        public int Position;
        private bool _matched;

        public void Consider(int specificity, double quality, int position)
        {
            if (specificity < 0)
            {
                return;
            }

            if (!_matched || specificity > Specificity || (specificity == Specificity && quality > Quality))
            {
                _matched = true;
                Specificity = specificity;
                Quality = quality;
                Position = position;
            }
        }
    }
}
