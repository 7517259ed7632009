using System.Net;
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

    private RunningServer _server = null!;

    public static TheoryData<string?, string> Matrix => new()
    {
        { Prometheus242, ContentTypes.OpenMetrics },
        { Prometheus3, ContentTypes.OpenMetrics },
        { Prometheus242NativeHistograms, ContentTypes.OpenMetrics },
        { null, ContentTypes.PrometheusText },
        { "*/*", ContentTypes.PrometheusText },
        { "text/plain", ContentTypes.PrometheusText },
        { "text/plain;version=0.0.4", ContentTypes.PrometheusText },
        { "text/*", ContentTypes.PrometheusText },
        { "application/openmetrics-text", ContentTypes.OpenMetrics },
        { "application/openmetrics-text; version=0.0.1", ContentTypes.OpenMetrics },
        { "application/openmetrics-text;version=1.0.0;charset=utf-8", ContentTypes.OpenMetrics },
        { "APPLICATION/OpenMetrics-Text; Version=\"1.0.0\"", ContentTypes.OpenMetrics },
        { "application/*", ContentTypes.OpenMetrics },
        { "application/json", ContentTypes.PrometheusText },
        { "application/openmetrics-text;version=2.0.0", ContentTypes.PrometheusText },
        { "text/plain;version=1.0.0;escaping=allow-utf-8", ContentTypes.PrometheusText },
        { "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", ContentTypes.PrometheusText },
        { "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ContentTypes.PrometheusText },
        { "not a media type", ContentTypes.PrometheusText },
        { "application/openmetrics-text;q=0", ContentTypes.PrometheusText },
        { "application/openmetrics-text;q=0,*/*", ContentTypes.PrometheusText },
        { "application/openmetrics-text;version=1.0.0;q=0, text/plain;version=0.0.4;q=0.1", ContentTypes.PrometheusText },
        { "text/plain;q=0,application/openmetrics-text", ContentTypes.OpenMetrics },
        { "text/plain;q=0, */*", ContentTypes.OpenMetrics },
        { "application/openmetrics-text;q=0.5,text/plain;q=0.9", ContentTypes.PrometheusText },
        { "text/plain;q=0.5, application/openmetrics-text;version=1.0.0;q=0.9", ContentTypes.OpenMetrics },
        { "text/plain, application/openmetrics-text", ContentTypes.PrometheusText },
        { "application/openmetrics-text, text/plain", ContentTypes.OpenMetrics },
        { "application/openmetrics-text;q=nonsense, text/plain;q=0.1", ContentTypes.PrometheusText },
    };

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(SampleRegistries.Small());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Accept_header_chooses_the_format_and_the_body_validates(string? accept, string expectedContentType)
    {
        Scrape scrape = await _server.ScrapeAsync(accept);

        Assert.Equal(HttpStatusCode.OK, scrape.Status);
        Assert.Equal(expectedContentType, scrape.ContentType);
        bool openMetrics = expectedContentType == ContentTypes.OpenMetrics;
        ExpositionCheck.AssertComplete(scrape.Body, openMetrics, SampleRegistries.SmallSampleCount);
        await ExternalValidators.AssertValidAsync(scrape.Body, openMetrics);
    }

    [Fact]
    public async Task Several_Accept_lines_are_read_as_one_list()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.TryAddWithoutValidation("Accept", ["text/plain;q=0.2", "application/openmetrics-text;q=0.9"]);
        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(ContentTypes.OpenMetrics, response.Content.Headers.ContentType?.ToString());
    }
}
