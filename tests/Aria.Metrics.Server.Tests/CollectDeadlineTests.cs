using System.Diagnostics;
using System.Net;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// A hung collect callback cannot lock the endpoint: scrapes end at their deadline without it, share one collection,
/// leave the landing page answering, and are whole again once it returns. Real HTTP on 127.0.0.1.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class CollectDeadlineTests(ITestOutputHelper output) : IDisposable
{
    private readonly BlockingCallback _hung = new();

    public void Dispose() => _hung.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task A_hung_callback_and_40_abandoned_scrapes_leave_the_landing_page_and_new_scrapes_answering_until_it_returns()
    {
        TimeSpan deadline = TimeSpan.FromSeconds(2);
        MetricRegistry registry = SampleRegistries.Small();
        Gauge refreshed = registry.CreateGauge("test_refreshed", "Collections that reached the callback that returns.");
        registry.AddCollectCallback(_hung.Invoke);
        registry.AddCollectCallback(() => refreshed.Inc());
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using RunningServer server = await RunningServer.StartAsync(registry, o => o.CollectTimeout = deadline, loggerFactory);
        int port = server.Server.Port;

        // Forty scrapers send their request and give up: half hang up, half stay connected and never read.
        RawConnection[] abandoned = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => RawConnection.OpenAsync(port)));
        await Task.WhenAll(abandoned.Select(c => c.SendAsync("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")));
        foreach (RawConnection connection in abandoned.Take(20))
        {
            connection.Dispose();
        }

        try
        {
            await Poll.UntilAsync(() => Task.FromResult(_hung.Inside == 1), TimeSpan.FromSeconds(10), () => "The collection never reached the hung callback.");

            var watch = Stopwatch.StartNew();
            using HttpClient client = RunningServer.CreateClient(port);
            using HttpResponseMessage landing = await client.GetAsync("/");
            TimeSpan landingTook = watch.Elapsed;
            watch.Restart();
            Scrape duringHang = await ScrapeAsync(client);
            TimeSpan scrapeTook = watch.Elapsed;
            watch.Restart();
            Scrape later = await ScrapeAsync(client);
            TimeSpan laterTook = watch.Elapsed;
            output.WriteLine($"Landing page {landingTook.TotalMilliseconds:0} ms; scrapes during the hang {scrapeTook.TotalMilliseconds:0} ms " +
                             $"(the 40 abandoned scrapes' collection still running) and {laterTook.TotalMilliseconds:0} ms (deadline {deadline.TotalSeconds} s).");

            Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
            Assert.True(landingTook < TimeSpan.FromSeconds(1), $"The landing page took {landingTook}.");
            Assert.True(scrapeTook < deadline + TimeSpan.FromSeconds(0.5), $"A scrape took {scrapeTook}, past its {deadline} deadline.");
            Assert.True(laterTook < TimeSpan.FromSeconds(1), $"A scrape after the first deadline took {laterTook}: it waited for the hung callback again.");
            foreach (Scrape scrape in new[] { duringHang, later })
            {
                // Whole but for the hung callback: every family, the other callback's work, and the count of the hang.
                Assert.Equal(HttpStatusCode.OK, scrape.Status);
                await ExternalValidators.AssertValidTextAsync(scrape.Body);
                Assert.Contains("test_requests_total{method=\"get\",status=\"200\"} 5\n", scrape.Body, StringComparison.Ordinal);
                Assert.True(Sample(scrape.Body, "test_refreshed") >= 1, scrape.Body);
                Assert.True(Sample(scrape.Body, "metrics_collect_callback_timeouts_total") >= 1, scrape.Body);
            }

            // One thread in the hung callback, however many scrapes came; each was logged as going on without it.
            Assert.Equal(1, _hung.Calls);
            Assert.Equal(1, _hung.MostInside);
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("had not returned", StringComparison.Ordinal));

            // Once the callback returns, scrapes are whole again: it runs, and nothing more is counted as late.
            _hung.Release();
            await Poll.UntilAsync(() => Task.FromResult(_hung.Inside == 0), TimeSpan.FromSeconds(10), () => "The released callback never returned.");
            Scrape first = await ScrapeAsync(client);
            Scrape second = await ScrapeAsync(client);
            Assert.Equal(Sample(first.Body, "metrics_collect_callback_timeouts_total"), Sample(second.Body, "metrics_collect_callback_timeouts_total"));
            Assert.True(_hung.Calls >= 3, $"The callback ran {_hung.Calls} times.");
        }
        finally
        {
            foreach (RawConnection connection in abandoned)
            {
                connection.Dispose();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_scrape_timeout_header_shortens_the_deadline()
    {
        MetricRegistry registry = SampleRegistries.Small();
        registry.AddCollectCallback(_hung.Invoke);
        await using RunningServer server = await RunningServer.StartAsync(registry, o => o.CollectTimeout = TimeSpan.FromSeconds(30));

        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Add(ScrapeTimeout.HeaderName, "1.5");
        var watch = Stopwatch.StartNew();
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        TimeSpan took = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(took, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
        output.WriteLine($"A scrape with a 1.5 s scrape timeout ended after {took.TotalMilliseconds:0} ms.");
    }

    [Fact(Timeout = 60_000)]
    public async Task Twenty_parallel_scrapes_cost_one_collection()
    {
        MetricRegistry registry = SampleRegistries.Small();
        registry.AddCollectCallback(_hung.Invoke);
        await using RunningServer server = await RunningServer.StartAsync(registry, o => o.CollectTimeout = TimeSpan.FromSeconds(30));

        Task<Scrape>[] scrapes = [.. Enumerable.Range(0, 20).Select(_ => server.ScrapeAsync())];
        await Poll.UntilAsync(
            () => Task.FromResult(registry.ScrapesWaitingForCollection == 20),
            TimeSpan.FromSeconds(20),
            () => $"{registry.ScrapesWaitingForCollection} scrapes wait for the collection.");
        _hung.Release();

        Assert.All(await Task.WhenAll(scrapes), s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.Equal(1, _hung.Calls);
    }

    [Theory]
    [InlineData(null, 5.0)]
    [InlineData("10", 5.0)]
    [InlineData("5.5", 5.0)]
    [InlineData("3", 2.5)]
    [InlineData("1.5", 1.0)]
    [InlineData("0.5", 0.25)]
    [InlineData("0", 5.0)]
    [InlineData("-1", 5.0)]
    [InlineData("1e1", 5.0)]
    [InlineData("abc", 5.0)]
    [InlineData("1e400", 5.0)]
    public void The_header_lowers_the_collect_timeout_and_keeps_a_margin_for_the_body(string? header, double expectedSeconds)
    {
        StringValues values = header is null ? StringValues.Empty : new StringValues(header);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ScrapeTimeout.For(values, TimeSpan.FromSeconds(5)));
    }

    private static async Task<Scrape> ScrapeAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("metrics");
        return new Scrape(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    private static double Sample(string body, string name)
    {
        string? line = body.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"{name} is not in the body:\n{body}");
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
