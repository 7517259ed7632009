using System.IO.Compression;
using System.Net;
using System.Text;
using Aria.Metrics.Exposition;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// <c>MapAriaMetrics</c> on a real WebApplication over real HTTP: the same answers as the dedicated server, and the
/// application's own conventions (authorization, host filtering) composing through the returned builder.
/// </summary>
public sealed class MapAriaMetricsTests
{
    public static TheoryData<string, string?, string?> Requests => new()
    {
        { "GET", null, null },
        { "GET", NegotiationTests.Prometheus242, "gzip" },
        { "GET", NegotiationTests.Prometheus3, null },
        { "GET", NegotiationTests.Prometheus242NativeHistograms, "gzip, deflate, br" },
        { "GET", "text/plain;version=0.0.4", "gzip;q=0" },
        { "GET", "application/openmetrics-text;q=0,*/*", "*" },
        { "GET", "application/json", "identity" },
        { "HEAD", null, null },
        { "HEAD", NegotiationTests.Prometheus242, "gzip" },
        { "POST", null, null },
        { "PUT", NegotiationTests.Prometheus242, "gzip" },
        { "DELETE", null, null },
        { "OPTIONS", null, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Answers_exactly_as_the_dedicated_server_does(string method, string? accept, string? acceptEncoding)
    {
        // A registry that nothing updates, so that the two hosts' bodies are comparable byte for byte.
        MetricRegistry registry = SampleRegistries.Small();
        await using RunningServer server = await RunningServer.StartAsync(registry);
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: registry));

        using HttpResponseMessage dedicated = await server.SendAsync(new HttpMethod(method), "metrics", accept, acceptEncoding);
        using HttpResponseMessage mapped = await app.SendAsync(new HttpMethod(method), "metrics", ("Accept", accept), ("Accept-Encoding", acceptEncoding));
        Answer expected = await Answer.ReadAsync(dedicated);
        Answer actual = await Answer.ReadAsync(mapped);

        Assert.Equal(expected, actual);
        Assert.Equal(method == "GET", actual.Body.Length > 0);
        if (method == "GET")
        {
            await ScrapeJudge.AssertValidAsync(actual.ContentType, actual.BodyBytes);
        }
    }

    [Fact]
    public async Task Prometheus_gets_gzipped_OpenMetrics_that_the_strict_parser_accepts()
    {
        MetricRegistry registry = SampleRegistries.Large(2_000, out _);
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: registry));

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "metrics", ("Accept", NegotiationTests.Prometheus242), ("Accept-Encoding", "gzip"));
        byte[] compressed = await response.Content.ReadAsByteArrayAsync();
        string body = Encoding.UTF8.GetString(Gunzip(compressed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentTypes.OpenMetrics + "; escaping=underscores", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(["Accept", "Accept-Encoding"], response.Headers.Vary);
        Assert.True(compressed.Length < body.Length / 4, $"{compressed.Length} compressed bytes for {body.Length}");
        Assert.Equal(2_000, body.Split('\n').Count(line => line.StartsWith("test_large_events_total{", StringComparison.Ordinal)));
        await ExternalValidators.AssertValidOpenMetricsAsync(body);
    }

    [Fact]
    public async Task RequireAuthorization_composes_and_strangers_learn_nothing_of_the_methods()
    {
        MetricRegistry registry = SampleRegistries.Small();
        await using RunningApp app = await RunningApp.StartAsync(
            a => a.MapAriaMetrics(registry: registry).RequireAuthorization(policy => policy.RequireRole(TokenAuthenticationHandler.ScraperRole)),
            services =>
            {
                services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
                services.AddAuthorization();
            });

        using HttpResponseMessage anonymous = await app.SendAsync(HttpMethod.Get, "metrics");
        using HttpResponseMessage anonymousPost = await app.SendAsync(HttpMethod.Post, "metrics");
        using HttpResponseMessage reader = await app.SendAsync(HttpMethod.Get, "metrics", ("Authorization", "Bearer reader"));
        using HttpResponseMessage scraper = await app.SendAsync(HttpMethod.Get, "metrics", ("Authorization", "Bearer scraper"), ("Accept", NegotiationTests.Prometheus3));
        using HttpResponseMessage scraperPost = await app.SendAsync(HttpMethod.Post, "metrics", ("Authorization", "Bearer scraper"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Empty(await anonymous.Content.ReadAsByteArrayAsync());
        Assert.Empty(await reader.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, scraper.StatusCode);
        Assert.Equal(ContentTypes.OpenMetrics + "; escaping=allow-utf-8", scraper.Content.Headers.ContentType?.ToString());
        await ExternalValidators.AssertValidOpenMetricsAsync(await scraper.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, scraperPost.StatusCode);
        Assert.Equal(["GET", "HEAD"], scraperPost.Content.Headers.Allow);
    }

    [Fact]
    public async Task RequireHost_composes()
    {
        MetricRegistry registry = SampleRegistries.Small();
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: registry).RequireHost("metrics.internal"));

        using HttpResponseMessage otherHost = await app.SendAsync(HttpMethod.Get, "metrics");
        using HttpResponseMessage rightHost = await app.SendAsync(HttpMethod.Get, "metrics", ("Host", "metrics.internal"));

        Assert.Equal(HttpStatusCode.NotFound, otherHost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightHost.StatusCode);
        await ExternalValidators.AssertValidTextAsync(await rightHost.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_pattern_of_its_own_and_the_application_s_other_endpoints_coexist()
    {
        MetricRegistry registry = SampleRegistries.Small();
        await using RunningApp app = await RunningApp.StartAsync(a =>
        {
            a.MapGet("/", () => "the application");
            a.MapAriaMetrics("/internal/metrics", registry);
        });

        Assert.Equal("the application", await app.Client.GetStringAsync("/"));
        Assert.Contains("test_requests_total{method=\"get\",status=\"200\"} 5\n", await app.Client.GetStringAsync("internal/metrics"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.SendAsync(HttpMethod.Get, "metrics")).StatusCode);
    }

    [Fact]
    public async Task Without_a_registry_it_serves_the_one_registered_as_a_service()
    {
        MetricRegistry registered = SampleRegistries.Small();
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(), services => services.AddSingleton(registered));

        string body = await app.Client.GetStringAsync("metrics");

        Assert.Contains("test_requests_total{method=\"get\",status=\"200\"} 5\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_registry_or_a_service_it_serves_the_default_registry()
    {
        Counter probe = MetricRegistry.Default.CreateCounter("map_aria_metrics_default_probe_total", "Written by the MapAriaMetrics tests.");
        probe.Inc(7);
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics());

        string body = await app.Client.GetStringAsync("metrics");

        Assert.Contains("map_aria_metrics_default_probe_total 7\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_collect_callback_is_logged_by_the_application_while_it_runs()
    {
        var registry = new MetricRegistry();
        using IDisposable failing = registry.AddCollectCallback(() => throw new InvalidOperationException("collector broke"));
        using var logs = new CapturingLoggerProvider();
        RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: registry), logs: logs);
        await using (app)
        {
            using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        LogEntry entry = Assert.Single(logs.Entries, e => e.Exception is InvalidOperationException { Message: "collector broke" });
        Assert.Equal(LogLevel.Warning, entry.Level);

        // Once the application has stopped, the registry no longer reports to it.
        _ = Render.Text(registry);
        Assert.Single(logs.Entries, e => e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task A_lowercase_get_gets_405_as_from_the_dedicated_server()
    {
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: SampleRegistries.Small()));
        using RawConnection connection = await RawConnection.OpenAsync(app.Client.BaseAddress!.Port);

        RawResponse response = await connection.RequestAsync("/metrics", "get");

        Assert.Equal(405, response.Status);
        Assert.Equal("GET, HEAD", response.Headers["Allow"]);
    }

    [Fact]
    public async Task Instrumentation_failures_are_logged_by_the_application_while_it_runs()
    {
        var registry = new MetricRegistry();
        using var logs = new CapturingLoggerProvider();
        RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: registry), logs: logs);
        await using (app)
        {
            registry.ReportInstrumentationFailure("Tests.TrackSomethingAsync", new InvalidOperationException("lost"));
            registry.ReportInstrumentationFailure("Tests.TrackSomethingAsync", new InvalidOperationException("lost again"));
            string body = await app.Client.GetStringAsync("metrics");
            Assert.Contains("metrics_instrumentation_errors_total 2\n", body, StringComparison.Ordinal);
        }

        LogEntry entry = Assert.Single(logs.Entries, e => e.Exception is InvalidOperationException);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("Tests.TrackSomethingAsync", entry.Message, StringComparison.Ordinal);

        // Once the application has stopped, the registry no longer reports to it.
        registry.ReportInstrumentationFailure("Tests.Other", new InvalidOperationException("after"));
        Assert.Single(logs.Entries, e => e.Exception is InvalidOperationException);
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>
    /// What a scraper sees of a response: status, the headers that matter, and the body, gunzipped when gzipped (binary
    /// bodies in base64, so that two answers compare by value).
    /// </summary>
    private sealed record Answer(HttpStatusCode Status, string? ContentType, string ContentEncoding, string Vary, string Allow, string Body)
    {
        public byte[] BodyBytes => ContentType == ContentTypes.Protobuf ? Convert.FromBase64String(Body) : Encoding.UTF8.GetBytes(Body);

        public static async Task<Answer> ReadAsync(HttpResponseMessage response)
        {
            byte[] bytes = await response.Content.ReadAsByteArrayAsync();
            string encoding = string.Join(", ", response.Content.Headers.ContentEncoding);
            byte[] body = encoding == "gzip" && bytes.Length > 0 ? Gunzip(bytes) : bytes;
            return new Answer(
                response.StatusCode,
                response.Content.Headers.ContentType?.ToString(),
                encoding,
                string.Join(", ", response.Headers.Vary),
                string.Join(", ", response.Content.Headers.Allow),
                response.Content.Headers.ContentType?.ToString() == ContentTypes.Protobuf ? Convert.ToBase64String(body) : Encoding.UTF8.GetString(body));
        }
    }
}
