using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Aria.Metrics.Demo;
using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>The demo: its workload's exposition is valid, and the program serves it and stops cleanly.</summary>
public sealed partial class DemoTests
{
    [Fact(Timeout = 60_000)]
    public async Task Workload_records_aria_metrics_that_both_validators_accept()
    {
        var registry = new MetricRegistry();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await DemoWorkload.RunAsync(registry, stop.Token);

        await using RunningServer server = await RunningServer.StartAsync(registry);
        Scrape text = await server.ScrapeAsync();
        Scrape openMetrics = await server.ScrapeAsync(NegotiationTests.Prometheus3);

        Assert.Matches(RequestsLine(), text.Body);
        Assert.Contains("aria_request_duration_seconds_bucket{", text.Body, StringComparison.Ordinal);
        Assert.Contains("# TYPE aria_build info", openMetrics.Body, StringComparison.Ordinal);
        await ExternalValidators.AssertValidTextAsync(text.Body);
        await ExternalValidators.AssertValidOpenMetricsAsync(openMetrics.Body);
    }

    [Fact(Timeout = 60_000)]
    public async Task Within_15_seconds_every_family_of_the_catalog_has_live_series_and_the_exposition_is_clean()
    {
        var registry = new MetricRegistry();
        using var stop = new CancellationTokenSource();
        Task workload = DemoWorkload.RunAsync(registry, stop.Token);
        var started = Stopwatch.StartNew();
        string[] silent = [];
        while (started.Elapsed < TimeSpan.FromSeconds(15))
        {
            silent = [.. registry.Families.Where(f => f.SeriesCount == 0).Select(f => f.Name)];
            if (silent.Length == 0 && registry.Families.Count >= 33)
            {
                break;
            }

            await Task.Delay(250);
        }

        await using RunningServer server = await RunningServer.StartAsync(registry);
        Scrape text = await server.ScrapeAsync();
        Scrape openMetrics = await server.ScrapeAsync(NegotiationTests.Prometheus242);
        await stop.CancelAsync();
        await workload;

        Assert.True(silent.Length == 0, $"Families without series after {started.Elapsed.TotalSeconds:F1} s: {string.Join(", ", silent)}");
        Assert.Equal(33, registry.Families.Count(f => f.Name.StartsWith("aria_", StringComparison.Ordinal)));
        await ExternalValidators.AssertValidTextAsync(text.Body);
        await ExternalValidators.AssertValidOpenMetricsAsync(openMetrics.Body);
    }

    [Fact(Timeout = 120_000)]
    public async Task Program_serves_live_metrics_on_METRICS_PORT_and_stops_cleanly_on_SIGINT()
    {
        int port = FreePort.Next();
        using ChildProcess demo = DemoProcess.Start(port);
        await DemoProcess.WaitUntilServingAsync(demo, port, TimeSpan.FromSeconds(60));

        using HttpClient client = RunningServer.CreateClient(port);
        double first = TotalRequests(await client.GetStringAsync("metrics"));
        string body = string.Empty;

        // A request takes the simulated engine up to half a second, longer on a loaded machine: wait for one, bounded.
        await Poll.UntilAsync(
            async () => TotalRequests(body = await client.GetStringAsync("metrics")) > first,
            TimeSpan.FromSeconds(20),
            () => $"The demo's counters did not move between scrapes:\n{demo.Output}");
        await ExternalValidators.AssertValidTextAsync(body);
        Assert.Contains($"http://localhost:{port}/metrics", demo.Output, StringComparison.Ordinal);

        // Ctrl+C, as a person would press it.
        // bash's builtin kill: no dependence on procps being installed.
        using (Process kill = Process.Start("/bin/bash", ["-c", $"kill -INT {demo.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.True(await demo.WaitForExitAsync(TimeSpan.FromSeconds(15)), $"The demo ignored SIGINT:\n{demo.Output}");
        Assert.True(demo.Process.ExitCode == 0, $"The demo exited with {demo.Process.ExitCode}:\n{demo.Output}");
        Assert.Contains("stopped", demo.Output, StringComparison.Ordinal);
    }

    private static double TotalRequests(string body) =>
        RequestsLine().Matches(body).Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("""^aria_requests_total\{[^}]*\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();
}
