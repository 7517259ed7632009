using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aria.Metrics.Exposition;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests;

/// <summary>Scrapes in parallel with writers, and clients that walk away mid-body.</summary>
public sealed class ConcurrencyTests
{
    [Fact(Timeout = 120_000)]
    public async Task Twenty_parallel_scrapes_during_writes_each_get_a_whole_valid_body()
    {
        MetricRegistry registry = SampleRegistries.Small();
        Counter requests = registry.CreateCounter("test_hammered_total", "Incremented by writer threads during the scrapes.", "worker");
        Histogram latency = registry.CreateHistogram("test_hammered_seconds", "Observed by writer threads during the scrapes.", "worker");
        for (int w = 0; w < 2; w++)
        {
            // Every series exists before the scrapes, so that each body has the same samples.
            requests.WithLabels($"w{w}");
            latency.WithLabels($"w{w}");
        }

        int expectedText = ExpositionCheck.CountSamples(Render(registry, ExpositionFormat.PrometheusText));
        int expectedOpenMetrics = ExpositionCheck.CountSamples(Render(registry, ExpositionFormat.OpenMetrics));
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task[] writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            CounterSeries counter = requests.WithLabels($"w{w}");
            HistogramSeries histogram = latency.WithLabels($"w{w}");
            long i = 0;
            while (!stop.IsCancellationRequested)
            {
                counter.Inc();
                histogram.Observe((i++ % 1000) / 100.0);
            }
        })).ToArray();

        Scrape[] scrapes;
        bool[] isOpenMetrics = Enumerable.Range(0, 20).Select(i => i % 2 == 0).ToArray();
        try
        {
            scrapes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ScrapeAsync(server, isOpenMetrics[i], gzip: i % 4 < 2)));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        for (int i = 0; i < scrapes.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, scrapes[i].Status);
            ExpositionCheck.AssertComplete(scrapes[i].Body, isOpenMetrics[i], isOpenMetrics[i] ? expectedOpenMetrics : expectedText);
        }

        // The strict parser on every OpenMetrics body at once, and promtool on a few text bodies.
        ValidatorResult openMetrics = await ExternalValidators.OpenMetricsAsync(scrapes.Where((_, i) => isOpenMetrics[i]).Select(s => s.Body));
        Assert.True(openMetrics.IsClean, openMetrics.ToString());
        foreach (Scrape text in scrapes.Where((_, i) => !isOpenMetrics[i]).Take(3))
        {
            await ExternalValidators.AssertValidTextAsync(text.Body);
        }

        AssertNothingWorseThanDebug(logs);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_client_that_disconnects_mid_body_harms_nothing()
    {
        // About 2 MB of text: far more than the socket buffers, so the server is still sending when the client goes.
        MetricRegistry registry = SampleRegistries.Large(30_000, out _);
        int expected = ExpositionCheck.CountSamples(Render(registry, ExpositionFormat.PrometheusText));
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory);

        for (int i = 0; i < 6; i++)
        {
            bool gzip = i % 2 == 1;
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, server.Server.Port);
            string request = $"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n{(gzip ? "Accept-Encoding: gzip\r\n" : string.Empty)}\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            byte[] head = new byte[512];
            using var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            int read = await socket.ReceiveAsync(head, SocketFlags.None, readTimeout.Token);
            Assert.True(read > 0);
            Assert.StartsWith("HTTP/1.1 200 OK", Encoding.ASCII.GetString(head, 0, read), StringComparison.Ordinal);

            // A reset rather than a polite close: the harshest way to leave.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        Scrape after = await server.ScrapeAsync();
        Assert.Equal(HttpStatusCode.OK, after.Status);
        ExpositionCheck.AssertComplete(after.Body, openMetrics: false, expected);
        await ExternalValidators.AssertValidTextAsync(after.Body);

        // Nothing is left hanging: stopping does not wait out the grace period for a request that never ends.
        var watch = Stopwatch.StartNew();
        await server.Server.StopAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"Stopping took {watch.Elapsed}");

        // Kestrel and the server saw resets, and neither thought them worth more than a debug line.
        AssertNothingWorseThanDebug(logs);
    }

    private static void AssertNothingWorseThanDebug(CapturingLoggerProvider logs)
    {
        LogEntry[] loud = logs.Entries
            .Where(e => e.Level > LogLevel.Debug && !(e.Category == typeof(MetricsServer).FullName && e.Level == LogLevel.Information))
            .ToArray();
        Assert.True(loud.Length == 0, string.Join("\n", loud.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
    }

    private static async Task<Scrape> ScrapeAsync(RunningServer server, bool openMetrics, bool gzip)
    {
        using HttpResponseMessage response = await server.SendAsync(
            HttpMethod.Get, "metrics", openMetrics ? NegotiationTests.Prometheus242 : null, gzip ? "gzip" : null);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        if (gzip)
        {
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            bytes = CompressionTests.Gunzip(bytes);
        }

        return new Scrape(response.StatusCode, response.Content.Headers.ContentType?.ToString(), Encoding.UTF8.GetString(bytes));
    }

    private static string Render(MetricRegistry registry, ExpositionFormat format)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        registry.Write(buffer, format);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
