using System.Globalization;
using System.Text.Json;
using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>The real consumer: the prometheus binary scrapes the demo once a second and stores its series.</summary>
public sealed class RealPrometheusTests
{
    private const string Job = "aria-demo";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 180_000)]
    public async Task Prometheus_scrapes_the_demo_and_stores_aria_series()
    {
        int demoPort = FreePort.Next();
        int prometheusPort = FreePort.Next();
        DirectoryInfo work = Directory.CreateTempSubdirectory("aria-prometheus-");
        ChildProcess? demo = null;
        ChildProcess? prometheus = null;
        try
        {
            demo = DemoProcess.Start(demoPort);
            await DemoProcess.WaitUntilServingAsync(demo, demoPort, Patience);

            string config = Path.Combine(work.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: {Job}
                    static_configs:
                      - targets: ['127.0.0.1:{demoPort}']

                """);
            prometheus = ChildProcess.Start("/usr/bin/prometheus",
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{prometheusPort}",
                "--log.level=warn",
            ]);

            using HttpClient api = RunningServer.CreateClient(prometheusPort);
            api.Timeout = TimeSpan.FromSeconds(5);
            string Describe() => $"\n--- prometheus ---\n{prometheus.Output}\n--- demo ---\n{demo.Output}";

            await Poll.UntilAsync(
                async () => await QueryAsync(api, $"up{{job=\"{Job}\"}}") is [var up] && up.Value == 1,
                Patience,
                Describe);
            await Poll.UntilAsync(
                async () => await QueryAsync(api, $"sum(aria_requests_total{{job=\"{Job}\"}})") is [var total] && total.Value > 0,
                Patience,
                Describe);

            // A histogram and an info came through the OpenMetrics parser too.
            Assert.NotEmpty(await QueryAsync(api, $"aria_request_duration_seconds_bucket{{job=\"{Job}\",le=\"+Inf\"}}"));
            Assert.NotEmpty(await QueryAsync(api, $"aria_build_info{{job=\"{Job}\"}}"));
        }
        finally
        {
            prometheus?.Dispose();
            demo?.Dispose();
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is not worth failing the test over.
            }
        }
    }

    /// <summary>An instant query's samples; an empty list while Prometheus is not ready or has no data yet.</summary>
    private static async Task<IReadOnlyList<(string Metric, double Value)>> QueryAsync(HttpClient api, string query)
    {
        try
        {
            string json = await api.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(query)}");
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement data = document.RootElement.GetProperty("data");
            return data.GetProperty("result").EnumerateArray()
                .Select(r => (r.GetProperty("metric").GetRawText(), double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
                .ToArray();
        }
        catch (HttpRequestException)
        {
            return [];
        }
        catch (TaskCanceledException)
        {
            return [];
        }
    }
}
