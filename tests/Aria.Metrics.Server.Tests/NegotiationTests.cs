using System.Net;
using System.Text;
using System.Text.Json;
using Aria.Metrics.Exposition;
using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>The Accept matrix over real HTTP: each answer's Content-Type, and each body through its format's validator.</summary>
public sealed class NegotiationTests : IAsyncLifetime
{
    // The Accept headers of Prometheus's scrapes, verbatim: 2.42, 3.4 and later, and 2.42 with native histograms
    // enabled, which ranks the protobuf format first (docs/server.md lists them).
    public const string Prometheus242 =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    public const string Prometheus3 =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    public const string Prometheus242NativeHistograms =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    // Prometheus 3.4 to 3.14 with scrape_native_histograms (or created-timestamp-zero-ingestion): protobuf first.
    public const string Prometheus3ProtobufFirst =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

    private const string OpenMetricsUnderscores = ContentTypes.OpenMetrics + "; escaping=underscores";
    private const string OpenMetricsUtf8 = ContentTypes.OpenMetrics + "; escaping=allow-utf-8";
    private const string OpenMetricsValues = ContentTypes.OpenMetrics + "; escaping=values";
    private const string Text100Utf8 = ContentTypes.PrometheusText100 + "; escaping=allow-utf-8";
    private const string Text100Underscores = ContentTypes.PrometheusText100 + "; escaping=underscores";

    private RunningServer _server = null!;

    /// <summary>The default Accept header of every Prometheus from 2.40 to 3.14 (docs/../prometheus-3.md, section 1.1), and its variants.</summary>
    public static TheoryData<string, string?, string> PrometheusVersions => new()
    {
        { "2.40-2.48", "application/openmetrics-text;version=1.0.0;q=0.75,application/openmetrics-text;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", OpenMetricsUnderscores },
        { "2.42 as observed", Prometheus242, OpenMetricsUnderscores },
        { "2.42 with native-histograms", Prometheus242NativeHistograms, ContentTypes.Protobuf },
        { "2.49-2.55", "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", OpenMetricsUnderscores },
        { "3.0-3.2.0 (escaping on every entry, twice on text 1.0.0)", "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;escaping=allow-utf-8;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;escaping=allow-utf-8;q=0.3,*/*;q=0.2", OpenMetricsUtf8 },
        { "3.2.1-3.3", "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;escaping=allow-utf-8;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;escaping=allow-utf-8;q=0.3,*/*;q=0.2", OpenMetricsUtf8 },
        { "3.2.1-3.3 under legacy name validation", "application/openmetrics-text;version=1.0.0;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", OpenMetricsUnderscores },
        { "3.0-3.3 protobuf first", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;escaping=allow-utf-8;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;escaping=allow-utf-8;q=0.2,*/*;q=0.1", ContentTypes.Protobuf },
        { "3.4-3.14", Prometheus3, OpenMetricsUtf8 },
        { "3.4-3.14 protobuf first", Prometheus3ProtobufFirst, ContentTypes.Protobuf },
        { "3.4-3.14 escaping underscores", "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", OpenMetricsUnderscores },
        { "3.4-3.14 escaping values", "application/openmetrics-text;version=1.0.0;escaping=values;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=values;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", OpenMetricsValues },
        { "3.4-3.14 escaping dots (not applied: OpenMetrics 0.0.1 answers)", "application/openmetrics-text;version=1.0.0;escaping=dots;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=dots;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", ContentTypes.OpenMetrics001 },
        { "docs example (q 0.5 to 0.1, allow-utf8)", "application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1", OpenMetricsUtf8 },
        { "docs example protobuf first", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=1.0.0;escaping=allow-utf8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.0", ContentTypes.Protobuf },
        { "3.x scrape_protocols [PrometheusText1.0.0, PrometheusText0.0.4]", "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1", Text100Utf8 },
        { "3.x scrape_protocols [PrometheusText0.0.4]", "text/plain;version=0.0.4;q=0.2,*/*;q=0.1", ContentTypes.PrometheusText },
        { "3.x scrape_protocols [OpenMetricsText0.0.1]", "application/openmetrics-text;version=0.0.1;q=0.2,*/*;q=0.1", ContentTypes.OpenMetrics001 },
    };

    public static TheoryData<string?, string> Matrix => new()
    {
        { null, ContentTypes.PrometheusText },
        { "*/*", ContentTypes.PrometheusText },
        { "text/plain", ContentTypes.PrometheusText },
        { "text/plain;version=0.0.4", ContentTypes.PrometheusText },
        { "text/*", ContentTypes.PrometheusText },
        { "application/openmetrics-text", OpenMetricsUnderscores },
        { "application/openmetrics-text; version=0.0.1", ContentTypes.OpenMetrics001 },
        { "application/openmetrics-text;version=1.0.0;charset=utf-8", OpenMetricsUnderscores },
        { "APPLICATION/OpenMetrics-Text; Version=\"1.0.0\"", OpenMetricsUnderscores },
        { "application/openmetrics-text;version=1.0.0;escaping=no-such-scheme", OpenMetricsUnderscores },
        { "application/*", OpenMetricsUnderscores },
        { "application/json", ContentTypes.PrometheusText },
        { "application/openmetrics-text;version=2.0.0", ContentTypes.PrometheusText },
        { "text/plain;version=1.0.0;escaping=allow-utf-8", Text100Utf8 },
        { "text/plain;version=1.0.0", Text100Underscores },
        { "text/plain;version=1.0.0;escaping=dots", ContentTypes.PrometheusText },
        { "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", ContentTypes.Protobuf },
        { "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text", ContentTypes.PrometheusText },
        { "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily", ContentTypes.PrometheusText },
        { "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0, */*", ContentTypes.PrometheusText },
        { "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ContentTypes.PrometheusText },
        { "not a media type", ContentTypes.PrometheusText },
        { "application/openmetrics-text;q=0", ContentTypes.PrometheusText },
        { "application/openmetrics-text;q=0,*/*", ContentTypes.PrometheusText },
        { "application/openmetrics-text;version=1.0.0;q=0, text/plain;version=0.0.4;q=0.1", ContentTypes.PrometheusText },
        { "text/plain;q=0,application/openmetrics-text", OpenMetricsUnderscores },
        { "text/plain;q=0, */*", OpenMetricsUnderscores },
        { "application/openmetrics-text;q=0.5,text/plain;q=0.9", ContentTypes.PrometheusText },
        { "text/plain;q=0.5, application/openmetrics-text;version=1.0.0;q=0.9", OpenMetricsUnderscores },
        { "text/plain, application/openmetrics-text", ContentTypes.PrometheusText },
        { "application/openmetrics-text, text/plain", OpenMetricsUnderscores },
        { "application/openmetrics-text;q=nonsense, text/plain;q=0.1", ContentTypes.PrometheusText },
    };

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(SampleRegistries.Small());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(PrometheusVersions))]
    public async Task Each_Prometheus_version_gets_one_format_with_its_version_and_a_body_that_validates(string version, string? accept, string expectedContentType)
    {
        _ = version;
        await AssertAnswerAsync(accept, expectedContentType);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Accept_header_chooses_the_format_and_the_body_validates(string? accept, string expectedContentType) =>
        await AssertAnswerAsync(accept, expectedContentType);

    [Fact]
    public async Task Several_Accept_lines_are_read_as_one_list()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.TryAddWithoutValidation("Accept", ["text/plain;q=0.2", "application/openmetrics-text;q=0.9"]);
        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(OpenMetricsUnderscores, response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>Scrapes with <paramref name="accept"/>, checks the Content-Type, and judges the body with its format's validator.</summary>
    private async Task AssertAnswerAsync(string? accept, string expectedContentType)
    {
        using HttpResponseMessage response = await _server.SendAsync(HttpMethod.Get, "metrics", accept);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedContentType, response.Content.Headers.ContentType?.ToString());
        if (expectedContentType == ContentTypes.Protobuf)
        {
            JsonElement[] families = await ReferenceProtobuf.DecodeAsync(body);
            Assert.Equal(SampleRegistries.SmallFamilyCount, families.Length);
            return;
        }

        string text = Encoding.UTF8.GetString(body);
        bool openMetrics = expectedContentType.StartsWith("application/openmetrics-text", StringComparison.Ordinal);
        ExpositionCheck.AssertComplete(text, openMetrics, SampleRegistries.SmallSampleCount);
        await ExternalValidators.AssertValidAsync(text, openMetrics);
    }
}
