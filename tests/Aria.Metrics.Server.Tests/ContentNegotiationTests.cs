using System.Globalization;
using Aria.Metrics.Exposition;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server.Tests;

/// <summary>Properties of the header parsers, in process: total, order-independent where q-values decide, q=0 refuses.</summary>
public sealed class ContentNegotiationTests
{
    // Every answer names exactly one of the five protocols with its version, and the 1.0.0 text formats their escaping.
    private static readonly string[] Answers =
    [
        ContentTypes.PrometheusText,
        ContentTypes.OpenMetrics001,
        ContentTypes.Protobuf,
        .. new[] { ContentTypes.OpenMetrics, ContentTypes.PrometheusText100 }.SelectMany(
            type => new[] { "underscores", "allow-utf-8", "values" }.Select(scheme => ContentTypes.WithEscaping(type, scheme))),
    ];

    [Property(MaxTest = 500)]
    public bool Any_accept_header_gets_an_answer_that_names_one_format_and_its_version(string? accept) =>
        IsWellFormedAnswer(ContentNegotiation.Negotiate(new StringValues(accept)));

    // A text format is the answer to anything that does not ask for OpenMetrics or protobuf: only an element naming
    // application/... or a wildcard can get either.
    [Property(MaxTest = 500)]
    public bool Only_a_header_that_can_name_OpenMetrics_gets_it(string? accept) =>
        ContentNegotiation.Negotiate(new StringValues(accept)).Format == ExpositionFormat.PrometheusText || CanNameOpenMetrics(accept);

    [Property(MaxTest = 500)]
    public void Any_accept_encoding_header_is_read_without_throwing(string? acceptEncoding) =>
        _ = AcceptEncoding.AllowsGzip(new StringValues(acceptEncoding));

    // Random strings rarely look like headers; these are built from the pieces that the parsers split on.
    [Property(MaxTest = 1000)]
    public Property Header_shaped_noise_never_throws_and_gets_text_unless_it_can_name_OpenMetrics() =>
        Prop.ForAll(HeaderNoise(), header =>
        {
            Assert.True(IsWellFormedAnswer(ContentNegotiation.Negotiate(header)), header);
            _ = AcceptEncoding.AllowsGzip(header);
            return ContentNegotiation.Negotiate(header).Format == ExpositionFormat.PrometheusText || CanNameOpenMetrics(header);
        });

    // Nothing after it can outrank it: no quality is above 1, no range more specific, and an earlier range wins ties.
    [Property(MaxTest = 1000)]
    public Property OpenMetrics_listed_first_at_full_quality_wins_whatever_follows() =>
        Prop.ForAll(HeaderNoise(), rest =>
            ContentNegotiation.Negotiate($"application/openmetrics-text;version=1.0.0,{rest}").Format == ExpositionFormat.OpenMetrics);

    [Property]
    public bool Higher_quality_wins_in_either_order_and_the_first_listed_wins_a_tie(ushort a, ushort b)
    {
        double qa = (a % 1000 + 1) / 1000.0;
        double qb = (b % 1000 + 1) / 1000.0;
        string om = $"application/openmetrics-text;version=1.0.0;q={Q(qa)}";
        string text = $"text/plain;version=0.0.4;q={Q(qb)}";
        if (qa == qb)
        {
            // Equally wanted and equally specific: the one listed first.
            return ContentNegotiation.Negotiate($"{om},{text}").Format == ExpositionFormat.OpenMetrics
                && ContentNegotiation.Negotiate($"{text} , {om}").Format == ExpositionFormat.PrometheusText;
        }

        ExpositionFormat expected = qa > qb ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
        return ContentNegotiation.Negotiate($"{om},{text}").Format == expected
            && ContentNegotiation.Negotiate($"{text} , {om}").Format == expected;
    }

    [Property]
    public bool Gzip_is_allowed_exactly_when_its_quality_is_above_zero(ushort q)
    {
        double quality = q % 1001 / 1000.0;
        return AcceptEncoding.AllowsGzip($"deflate, gzip;q={Q(quality)}, br") == quality > 0;
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("gzip", true)]
    [InlineData("GZIP", true)]
    [InlineData("x-gzip", true)]
    [InlineData("gzip, deflate, br", true)]
    [InlineData("deflate, br", false)]
    [InlineData("identity", false)]
    [InlineData("*", true)]
    [InlineData("*;q=0", false)]
    [InlineData("gzip;q=0", false)]
    [InlineData("gzip;q=0, *", false)]
    [InlineData("gzip;q=0.001", true)]
    [InlineData("gzip;q=1.5", false)]
    [InlineData("br;q=1.0, gzip;q=0.8, *;q=0.1", true)]
    public void Accept_encoding_allows_gzip_when_its_quality_is_positive(string? header, bool allowed) =>
        Assert.Equal(allowed, AcceptEncoding.AllowsGzip(new StringValues(header)));

    [Fact]
    public void Quoted_parameters_may_hold_separators()
    {
        Assert.Equal(
            ExpositionFormat.OpenMetrics,
            ContentNegotiation.Negotiate("text/plain;foo=\"a,b;c\";q=0.1, application/openmetrics-text;version=\"1.0.0\"").Format);
    }

    private static Arbitrary<string> HeaderNoise() =>
        Gen.Elements(
                "application/openmetrics-text", "text/plain", "*/*", "text/*", "gzip", "*", "/", ";", ",", " ", "=", "\"",
                "\\", "q", "q=", "q=0", "q=1", "q=0.5", "q=-1", "q=1e3", "version", "version=1.0.0", "version=0.0.4", "",
                "version=0.0.1", "application/vnd.google.protobuf", "proto=io.prometheus.client.MetricFamily", "encoding=delimited",
                "escaping=allow-utf-8", "escaping=dots", "escaping=values", "escaping=")
            .ArrayOf()
            .Select(string.Concat)
            .ToArbitrary();

    private static bool IsWellFormedAnswer(NegotiatedFormat answer) =>
        Answers.Contains(answer.ContentType.ToString())
        && answer.Format == (answer.ContentType.ToString().StartsWith("application/openmetrics-text", StringComparison.Ordinal) ? ExpositionFormat.OpenMetrics
            : answer.ContentType.ToString().StartsWith("text/plain", StringComparison.Ordinal) ? ExpositionFormat.PrometheusText
            : ExpositionFormat.Protobuf);

    private static bool CanNameOpenMetrics(string? header) =>
        header is not null && (header.Contains("application", StringComparison.OrdinalIgnoreCase) || header.Contains('*', StringComparison.Ordinal));

    private static string Q(double q) => q.ToString("0.###", CultureInfo.InvariantCulture);
}
