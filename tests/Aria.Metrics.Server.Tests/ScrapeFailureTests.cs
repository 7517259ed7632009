using System.Net;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// When writing the body fails midway, the scraper gets a 500 with a short text body on a connection that stays
/// usable, never a cut connection or half an exposition: the body is buffered whole before anything is sent.
/// </summary>
public sealed class ScrapeFailureTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(NegotiationTests.Prometheus242, "gzip")]
    public async Task A_family_whose_write_throws_gets_a_500_and_the_connection_serves_the_next_scrape(string? accept, string? acceptEncoding)
    {
        // About a megabyte is written before the failing family, which sorts last: the failure comes mid-body.
        MetricRegistry registry = SampleRegistries.Large(15_000, out _);
        ThrowingFamily.AddTo(registry, "zz_test_failing", failures: 1);
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory);
        using RawConnection connection = await RawConnection.OpenAsync(server.Server.Port);
        string headers = (accept is null ? string.Empty : $"Accept: {accept}\r\n") + (acceptEncoding is null ? string.Empty : $"Accept-Encoding: {acceptEncoding}\r\n");

        RawResponse failed = await connection.RequestAsync("/metrics", extraHeaders: headers);
        RawResponse next = await connection.RequestAsync("/metrics", extraHeaders: headers);

        Assert.Equal(500, failed.Status);
        Assert.Equal("text/plain; charset=utf-8", failed.Headers["Content-Type"]);
        Assert.False(failed.Headers.ContainsKey("Content-Encoding"));
        Assert.Equal(failed.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.Headers["Content-Length"]);
        Assert.Contains("could not be written", failed.Text, StringComparison.Ordinal);
        LogEntry error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("zz_test_failing", error.Exception?.Message, StringComparison.Ordinal);

        // The same connection, the failure gone: a whole body, with its length.
        Assert.Equal(200, next.Status);
        Assert.Equal(next.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), next.Headers["Content-Length"]);
        byte[] body = acceptEncoding is null ? next.Body : CompressionTests.Gunzip(next.Body);
        string text = System.Text.Encoding.UTF8.GetString(body);
        Assert.Contains("zz_test_failing 1\n", text, StringComparison.Ordinal);
        await ExternalValidators.AssertValidAsync(text, openMetrics: accept is not null);
    }

    [Fact]
    public async Task A_scrape_answers_with_its_content_length_rather_than_chunks()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());

        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Get, "metrics");
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
    }
}
