using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Numerics;
using System.Text;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// The label storm of issue 10, as a new user would cause it: writer threads on every core feeding one label from
/// user ids (a new value every 16 calls) into a counter, a histogram and a gauge, while two clients scrape over real
/// HTTP. Before the series limit, ten seconds of this held 2.9 million series and 1.5 GB. The test runs for
/// <c>ARIA_STORM_SECONDS</c> seconds (5 unless set; 10 for the figures the docs quote) and checks what a storm must
/// not break: series stay at the limit per family, totals stay exact through the overflow series, the process stays
/// small, every scrape is valid for the strict OpenMetrics parser and promtool, and each family warns once.
/// </summary>
[Collection(nameof(LabelStormCollection))]
public sealed class LabelStormTests(ITestOutputHelper output)
{
    private const int Limit = 2000;

    /// <summary>
    /// What the storm may add to the process's resident set. The goal is an RSS under 400 MB for a process doing this,
    /// measured alone (docs/cardinality.md); here the test host also holds what earlier tests left, so the bound is on
    /// the growth, from a baseline taken after an aggressive collection has returned what it can.
    /// </summary>
    private const long RssGrowthLimitBytes = 300L * 1024 * 1024;

    private static readonly double[] Buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    [Fact(Timeout = 300_000)]
    public async Task A_storm_of_new_label_values_on_every_core_stays_capped_small_exact_and_valid()
    {
        TimeSpan duration = TimeSpan.FromSeconds(
            int.TryParse(Environment.GetEnvironmentVariable("ARIA_STORM_SECONDS"), CultureInfo.InvariantCulture, out int seconds) ? seconds : 5);
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("storm_requests_total", "Requests, by user and route.", "user", "route");
        Histogram latency = registry.CreateHistogram("storm_latency_seconds", "Latency, by user.", Buckets, "user");
        Gauge balance = registry.CreateGauge("storm_balance", "Balance, by user.", "user");
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory);

        int writerCount = Math.Max(2, Environment.ProcessorCount);
        long nextUser = 0;
        long[] calls = new long[writerCount];
        using var stop = new CancellationTokenSource();
        Thread[] writers = [.. Enumerable.Range(0, writerCount).Select(w => new Thread(() =>
        {
            string user = "user-0";
            long done = 0;
            while (!stop.IsCancellationRequested)
            {
                if ((done & 15) == 0)
                {
                    user = "user-" + Interlocked.Increment(ref nextUser).ToString(CultureInfo.InvariantCulture);
                }

                requests.WithLabels(user, "/chat").Inc();
                latency.WithLabels(user).Observe((done % 400) / 10.0);
                balance.WithLabels(user).Set(done);
                done++;
            }

            calls[w] = done;
        }) { IsBackground = true, Name = $"storm writer {w}" })];

        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long baselineRss = ResidentBytes();
        var clock = Stopwatch.StartNew();
        foreach (Thread writer in writers)
        {
            writer.Start();
        }

        var scrapes = new List<StormScrape>();
        var kept = new List<string>[] { [], [] };
        long peakRss = baselineRss;
        Task rssWatch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, ResidentBytes());
                await Task.Delay(100);
            }
        });
        Task[] scrapers = [.. Enumerable.Range(0, 2).Select(s => Task.Run(async () =>
        {
            // Each client reuses its buffers: the RSS bound is about the engine, and a fresh megabyte-sized body per
            // scrape (several copies of it on the large object heap until the next full collection) would measure
            // the test's own garbage instead.
            using var received = new MemoryStream();
            using var bodyBytes = new MemoryStream();
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                bool openMetrics = (i + s) % 2 == 0;
                StormScrape scrape = await ScrapeAsync(server, openMetrics, gzip: i % 3 == 0, clock.Elapsed, received, bodyBytes);
                ReadOnlySpan<byte> body = bodyBytes.GetBuffer().AsSpan(0, (int)bodyBytes.Length);
                CheckCapped(scrape, body);

                // Bodies are megabytes: the judges get the first ones and then ever sparser ones, not all of them.
                lock (scrapes)
                {
                    scrapes.Add(scrape);
                    if (BitOperations.IsPow2(scrapes.Count))
                    {
                        kept[openMetrics ? 0 : 1].Add(Encoding.UTF8.GetString(body));
                    }
                }
            }
        }))];

        await Task.Delay(duration);
        long rssAtEnd = ResidentBytes();
        await stop.CancelAsync();
        foreach (Thread writer in writers)
        {
            writer.Join();
        }

        await Task.WhenAll(scrapers);
        await rssWatch;

        // Each writer made as many calls as it counted, each an increment, an observation and a set.
        long total = calls.Sum();
        string final = Render(registry, openMetrics: true);
        Assert.Equal(total, SumSamples(final, "storm_requests_total{"));
        Assert.Equal(total, SumSamples(final, "storm_latency_seconds_count{"));
        Assert.Equal(Limit, requests.SeriesCount);
        Assert.Equal(Limit, latency.SeriesCount);
        Assert.Equal(Limit, balance.SeriesCount);
        Assert.True(SumSamples(final, "metrics_series_refused_total{metric=\"storm_requests_total\"}") > 0);

        Assert.True(scrapes.Count >= 4, $"only {scrapes.Count} scrapes completed");
        Assert.All(scrapes, scrape => Assert.Equal(HttpStatusCode.OK, scrape.Status));

        // The judges on bodies spread over the storm, and the last one.
        kept[0].Add(final);
        kept[1].Add(Render(registry, openMetrics: false));
        ValidatorResult parsed = await ExternalValidators.OpenMetricsAsync(kept[0]);
        Assert.True(parsed.IsClean, parsed.ToString());
        foreach (string text in kept[1])
        {
            ValidatorResult linted = await ExternalValidators.PromtoolAsync(text);
            Assert.True(linted.ExitCode == 0, linted.ToString());
        }

        // One warning per family, not one per refused call.
        LogEntry[] warnings = [.. logs.Entries.Where(e => e.Level == LogLevel.Warning)];
        Assert.Equal(3, warnings.Length);
        Assert.All(warnings, w => Assert.Contains("reached its limit of 2000 series", w.Message, StringComparison.Ordinal));

        Assert.True(peakRss - baselineRss < RssGrowthLimitBytes, $"RSS grew from {baselineRss / 1048576} MB to {peakRss / 1048576} MB");
        Report(duration, total, scrapes, baselineRss, rssAtEnd, peakRss);
    }

    private static void CheckCapped(StormScrape scrape, ReadOnlySpan<byte> body)
    {
        Assert.True(body.EndsWith(scrape.OpenMetrics ? "# EOF\n"u8 : "\n"u8), "the body is cut short");
        Assert.True(CountSamples(body, "storm_requests_total{"u8) <= Limit);
        Assert.True(CountSamples(body, "storm_latency_seconds_bucket{"u8) <= Limit * (Buckets.Length + 1));
        Assert.True(CountSamples(body, "storm_balance{"u8) <= Limit);
    }

    /// <summary>One scrape: the body as sent into <paramref name="received"/>, and unzipped into <paramref name="body"/>.</summary>
    private static async Task<StormScrape> ScrapeAsync(RunningServer server, bool openMetrics, bool gzip, TimeSpan at, MemoryStream received, MemoryStream body)
    {
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        if (openMetrics)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Accept", NegotiationTests.Prometheus242));
        }

        if (gzip)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip"));
        }

        using HttpResponseMessage response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        received.SetLength(0);
        await using (Stream content = await response.Content.ReadAsStreamAsync())
        {
            await content.CopyToAsync(received);
        }

        TimeSpan took = watch.Elapsed;
        received.Position = 0;
        body.SetLength(0);
        if (gzip)
        {
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            await using var unzip = new GZipStream(received, CompressionMode.Decompress, leaveOpen: true);
            await unzip.CopyToAsync(body);
        }
        else
        {
            await received.CopyToAsync(body);
        }

        return new StormScrape(response.StatusCode, openMetrics, (int)body.Length, at, took);
    }

    private static string Render(MetricRegistry registry, bool openMetrics)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        registry.Write(buffer, openMetrics ? Exposition.ExpositionFormat.OpenMetrics : Exposition.ExpositionFormat.PrometheusText);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static double SumSamples(string body, string prefix) =>
        body.Split('\n')
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(line => double.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture));

    private static int CountSamples(ReadOnlySpan<byte> body, ReadOnlySpan<byte> prefix)
    {
        int count = 0;
        int start = 0;
        for (int found = body.IndexOf(prefix); found >= 0; found = body[start..].IndexOf(prefix))
        {
            int at = start + found;
            if (at == 0 || body[at - 1] == (byte)'\n')
            {
                count++;
            }

            start = at + 1;
        }

        return count;
    }

    /// <summary>The resident set size of this process, from /proc (the figure the goal is about).</summary>
    private static long ResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private void Report(TimeSpan duration, long total, List<StormScrape> scrapes, long baselineRss, long rssAtEnd, long peakRss)
    {
        output.WriteLine($"storm: {duration.TotalSeconds:0} s, {Environment.ProcessorCount} cores, {total:N0} calls (each an Inc, an Observe and a Set)");
        output.WriteLine($"RSS: {baselineRss / 1048576} MB before, {rssAtEnd / 1048576} MB at the end, {peakRss / 1048576} MB peak");
        StormScrape[] ordered = [.. scrapes.OrderBy(s => s.At)];
        int quarter = Math.Max(1, ordered.Length / 4);
        foreach ((string name, StormScrape[] part) in new[] { ("first quarter", ordered[..quarter]), ("last quarter", ordered[^quarter..]) })
        {
            double[] millis = [.. part.Select(s => s.Took.TotalMilliseconds).Order()];
            output.WriteLine(
                $"scrapes, {name}: {part.Length}, median {millis[millis.Length / 2]:0.0} ms, " +
                $"bodies {part.Min(s => s.Bytes) / 1024} to {part.Max(s => s.Bytes) / 1024} KB");
        }
    }

    private sealed record StormScrape(HttpStatusCode Status, bool OpenMetrics, int Bytes, TimeSpan At, TimeSpan Took);
}

/// <summary>The storm runs alone: RSS is a figure of the whole process, and other tests would add to it.</summary>
[CollectionDefinition(nameof(LabelStormCollection), DisableParallelization = true)]
public sealed class LabelStormCollection;
