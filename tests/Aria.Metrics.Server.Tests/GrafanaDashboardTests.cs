using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// Every expression of every dashboard panel returns data from a real Prometheus scraping the real demo, with the
/// shipped alert rules loaded and healthy (grafana/tools/prove_queries.sh does the Prometheus part), and the demo's
/// exemplars come back with trace ids from Prometheus' exemplar API. This class runs the classic mode (OpenMetrics text,
/// classic buckets); <see cref="NativeHistogramDashboardTests"/> the native one, in parallel. promtool's checks of the
/// shipped configuration and rules are grafana/check.sh's, which CI runs and counts once.
/// </summary>
public sealed class GrafanaDashboardTests
{
    [Fact(Timeout = 240_000)]
    public async Task Every_panel_expression_returns_data_from_prometheus_scraping_the_demo()
    {
        string output = await ProveAsync(
            "--feature", "exemplar-storage",
            "--exemplars", "aria_request_duration_seconds_bucket",
            "--exemplars", "aria_requests_total");
        Assert.Contains("exemplars with a trace_id  aria_request_duration_seconds_bucket", output, StringComparison.Ordinal);
    }

    /// <summary>Runs prove_queries.sh against a demo started here; fails with both outputs when it fails.</summary>
    internal static async Task<string> ProveAsync(params string[] arguments)
    {
        string repository = RepositoryRoot();
        int port = FreePort.Next();
        using ChildProcess demo = DemoProcess.Start(port);
        await DemoProcess.WaitUntilServingAsync(demo, port, TimeSpan.FromSeconds(60));

        using ChildProcess proof = ChildProcess.Start(
            "/bin/bash",
            [Path.Combine(repository, "grafana", "tools", "prove_queries.sh"), "--target", $"127.0.0.1:{port}", .. arguments],
            new Dictionary<string, string> { ["PROVE_TIMEOUT"] = "150" });
        Assert.True(await proof.WaitForExitAsync(TimeSpan.FromSeconds(200)), $"prove_queries.sh did not finish:\n{proof.Output}");
        Assert.True(proof.Process.ExitCode == 0, $"prove_queries.sh failed:\n{proof.Output}\n--- demo ---\n{demo.Output}");
        Assert.Contains("OK:", proof.Output, StringComparison.Ordinal);
        return proof.Output;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aria.Metrics.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Aria.Metrics.sln above {AppContext.BaseDirectory}.");
    }
}
