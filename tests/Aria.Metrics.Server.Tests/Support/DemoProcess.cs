using System.Globalization;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>Runs the demo program as the README does, from the build output beside the tests.</summary>
internal static class DemoProcess
{
    public static ChildProcess Start(int port)
    {
        string demo = Path.Combine(AppContext.BaseDirectory, "Aria.Metrics.Demo.dll");
        Assert.True(File.Exists(demo), $"The demo was not built next to the tests: {demo}");
        return ChildProcess.Start(DotnetHost(), [demo], new Dictionary<string, string>
        {
            ["METRICS_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Waits until the demo answers a scrape that holds its workload's metrics; fails with its output if not.</summary>
    public static async Task WaitUntilServingAsync(ChildProcess demo, int port, TimeSpan timeout)
    {
        using var client = RunningServer.CreateClient(port);
        client.Timeout = TimeSpan.FromSeconds(5);
        await Poll.UntilAsync(
            async () =>
            {
                Assert.False(demo.HasExited, $"The demo exited early:\n{demo.Output}");
                try
                {
                    return (await client.GetStringAsync("metrics")).Contains("aria_requests_total", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            timeout,
            () => $"The demo did not serve metrics on port {port}:\n{demo.Output}");
    }

    private static string DotnetHost()
    {
        // The same host that runs the tests, so that the runtime matches; PATH as the last resort.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
