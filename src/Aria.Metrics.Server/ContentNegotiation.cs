using Aria.Metrics.Exposition;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// Chooses the answer to an Accept header among the five scrape protocols of Prometheus' content negotiation
/// (docs/instrumenting/content_negotiation.md): each protocol takes the quality of the most specific media range that
/// names it (RFC 9110 section 12.5.1), and the protocol with the highest quality wins, then the more specific range, then
/// the one listed first. Protobuf is served only when asked for by name (a binary body is nobody's wildcard). No Accept,
/// <c>*/*</c>, or nothing we serve gets text 0.0.4, the last resort every client reads.
/// <para>
/// The 1.0.0 text formats answer with the escaping scheme their range asked for (<c>allow-utf-8</c>, <c>underscores</c>,
/// <c>values</c>; <c>underscores</c> when none or an unknown one is named). Our names are all in the legacy character
/// set, which those three schemes leave as they are. <c>dots</c> would double every underscore, which we do not do, so a
/// range asking for it is refused and the next acceptable protocol answers.
/// </para>
/// </summary>
internal static class ContentNegotiation
{
    private const string MetricFamilyProto = "io.prometheus.client.MetricFamily";
    private const int OfferCount = (int)Offer.Protobuf + 1;

    private static readonly NegotiatedFormat Text004 = new(ExpositionFormat.PrometheusText, ContentTypes.PrometheusText);
    private static readonly NegotiatedFormat OpenMetrics001 = new(ExpositionFormat.OpenMetrics, ContentTypes.OpenMetrics001);
    private static readonly NegotiatedFormat Protobuf = new(ExpositionFormat.Protobuf, ContentTypes.Protobuf);
    private static readonly NegotiatedFormat[] OpenMetrics100 = WithEachEscaping(ExpositionFormat.OpenMetrics, ContentTypes.OpenMetrics);
    private static readonly NegotiatedFormat[] Text100 = WithEachEscaping(ExpositionFormat.PrometheusText, ContentTypes.PrometheusText100);

    /// <summary>What we serve, in the order that settles a complete tie (a bare <c>*/*</c> gets text 0.0.4).</summary>
    private enum Offer
    {
        Text004,
        OpenMetrics100,
        OpenMetrics001,
        Text100,
        Protobuf,
    }

    /// <summary>The escaping schemes we apply, indexing the pre-built answers; <see cref="Dots"/> we do not apply.</summary>
    private enum Escaping
    {
        Underscores,
        AllowUtf8,
        Values,
        Dots,
    }

    public static NegotiatedFormat Negotiate(StringValues accept)
    {
        Span<Match> matches = stackalloc Match[OfferCount];
        int position = 0;
        foreach (ReadOnlySpan<char> element in new HeaderElements(accept))
        {
            if (TryParseRange(element, out MediaRange range))
            {
                for (int offer = 0; offer < matches.Length; offer++)
                {
                    int specificity = Specificity((Offer)offer, range);
                    bool refused = range.Escaping == Escaping.Dots && (Offer)offer is Offer.OpenMetrics100 or Offer.Text100;
                    matches[offer].Consider(specificity, refused ? 0 : range.Quality, position, range.Escaping);
                }
            }

            position++;
        }

        int best = -1;
        for (int offer = 0; offer < matches.Length; offer++)
        {
            if (matches[offer].Quality > 0 && (best < 0 || matches[offer].IsBetterThan(matches[best])))
            {
                best = offer;
            }
        }

        return best < 0 ? Text004 : Answer((Offer)best, matches[best].Escaping);
    }

    // A range asking for dots never wins (it is refused above), so the 1.0.0 answers need no dots variant.
    private static NegotiatedFormat Answer(Offer offer, Escaping escaping) => offer switch
    {
        Offer.OpenMetrics100 => OpenMetrics100[escaping == Escaping.Dots ? 0 : (int)escaping],
        Offer.OpenMetrics001 => OpenMetrics001,
        Offer.Text100 => Text100[escaping == Escaping.Dots ? 0 : (int)escaping],
        Offer.Protobuf => Protobuf,
        _ => Text004,
    };

    // Specificity: 3 names the type and a version we serve (or, for protobuf, the message and the delimited encoding),
    // 2 the type alone, 1 is type/*, 0 is */*; -1 does not match.
    private static int Specificity(Offer offer, in MediaRange range) => offer switch
    {
        Offer.Text004 => Versioned(range, "text", "plain", "0.0.4", unversioned: true),
        Offer.Text100 => Versioned(range, "text", "plain", "1.0.0", unversioned: false),
        Offer.OpenMetrics100 => Versioned(range, "application", "openmetrics-text", "1.0.0", unversioned: true),
        Offer.OpenMetrics001 => Versioned(range, "application", "openmetrics-text", "0.0.1", unversioned: false),
        _ => range.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
             && range.Subtype.Equals("vnd.google.protobuf", StringComparison.OrdinalIgnoreCase)
             && range.Proto.SequenceEqual(MetricFamilyProto)
             && range.Encoding.Equals("delimited", StringComparison.OrdinalIgnoreCase)
            ? 3
            : -1,
    };

    /// <summary>
    /// How specifically <paramref name="range"/> names a versioned text format. Wildcards and a range without a version
    /// match only the offer that stands for the type unversioned (<paramref name="unversioned"/>).
    /// </summary>
    private static int Versioned(in MediaRange range, string type, string subtype, string version, bool unversioned)
    {
        if (range.Type is "*")
        {
            return range.Subtype is "*" && unversioned ? 0 : -1;
        }

        if (!range.Type.Equals(type, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        if (range.Subtype is "*")
        {
            return unversioned ? 1 : -1;
        }

        if (!range.Subtype.Equals(subtype, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        if (range.Version.IsEmpty)
        {
            return unversioned ? 2 : -1;
        }

        return range.Version.SequenceEqual(version) ? 3 : -1;
    }

    private static bool TryParseRange(ReadOnlySpan<char> element, out MediaRange range)
    {
        range = default;
        ReadOnlySpan<char> mediaType = HeaderElements.ValueOf(element);
        int slash = mediaType.IndexOf('/');
        range.Type = slash < 0 ? default : mediaType[..slash].Trim();
        range.Subtype = slash < 0 ? default : mediaType[(slash + 1)..].Trim();
        range.Quality = 1;
        if (range.Type.IsEmpty || range.Subtype.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> rest = element;
        while (HeaderElements.NextParameter(ref rest, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value))
        {
            if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                if (!HeaderElements.TryParseQuality(value, out range.Quality))
                {
                    return false;
                }
            }
            else if (name.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                range.Version = value;
            }
            else if (name.Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                range.Proto = value;
            }
            else if (name.Equals("encoding", StringComparison.OrdinalIgnoreCase))
            {
                range.Encoding = value;
            }
            else if (name.Equals("escaping", StringComparison.OrdinalIgnoreCase))
            {
                range.Escaping = EscapingOf(value);
            }
        }

        return true;
    }

    // client_golang ignores a scheme it does not know, which leaves the default, underscores. "allow-utf8" is how the
    // content negotiation page spells allow-utf-8 in its examples; Prometheus itself sends the hyphenated name.
    private static Escaping EscapingOf(ReadOnlySpan<char> scheme) =>
        scheme.Equals("allow-utf-8", StringComparison.OrdinalIgnoreCase) || scheme.Equals("allow-utf8", StringComparison.OrdinalIgnoreCase) ? Escaping.AllowUtf8
        : scheme.Equals("values", StringComparison.OrdinalIgnoreCase) ? Escaping.Values
        : scheme.Equals("dots", StringComparison.OrdinalIgnoreCase) ? Escaping.Dots
        : Escaping.Underscores;

    private static NegotiatedFormat[] WithEachEscaping(ExpositionFormat format, string contentType) =>
    [
        new(format, ContentTypes.WithEscaping(contentType, "underscores")),
        new(format, ContentTypes.WithEscaping(contentType, "allow-utf-8")),
        new(format, ContentTypes.WithEscaping(contentType, "values")),
    ];

    /// <summary>One media range of the header, its parts still pointing into the header.</summary>
    private ref struct MediaRange
    {
        public ReadOnlySpan<char> Type;
        public ReadOnlySpan<char> Subtype;
        public ReadOnlySpan<char> Version;
        public ReadOnlySpan<char> Proto;
        public ReadOnlySpan<char> Encoding;
        public Escaping Escaping;
        public double Quality;
    }

    /// <summary>The best range seen so far for one offer: the most specific, then the highest quality among those.</summary>
    private struct Match
    {
        public int Specificity;
        public double Quality;
        public int Position;
        public Escaping Escaping;
        private bool _matched;

        public void Consider(int specificity, double quality, int position, Escaping escaping)
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
                Escaping = escaping;
            }
        }

        /// <summary>Higher quality wins, then the more specific range, then the one listed first; the caller breaks what remains.</summary>
        public readonly bool IsBetterThan(in Match other)
        {
            if (Quality != other.Quality)
            {
                return Quality > other.Quality;
            }

            if (Specificity != other.Specificity)
            {
                return Specificity > other.Specificity;
            }

            return Position < other.Position;
        }
    }
}
