using System.Net;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// <c>MapAriaMetrics</c> holds a scrape to the collect deadline, the scraper's or the application's, while a callback
/// hangs. Timed to about a second, so these run alone (one in a CI run took 4.6 s against 3 s while the other tests ran
/// beside it), and each first sends a HEAD, which is answered without collecting, so that the timed scrape does not
/// also pay for the first request's JIT.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class MapAriaMetricsDeadlineTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_hung_collect_callback_is_left_out_at_the_scraper_s_deadline_and_logged()
    {
        MetricRegistry registry = SampleRegistries.Small();
        using var hung = new BlockingCallback();
        using IDisposable registration = registry.AddCollectCallback(hung.Invoke);
        using var logs = new CapturingLoggerProvider();
        await using RunningApp app = await RunningApp.StartAsync(a => a.MapAriaMetrics(registry: registry), logs: logs);
        await WarmUpAsync(app);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "metrics", (ScrapeTimeout.HeaderName, "1.5"));
        string body = await response.Content.ReadAsStringAsync();
        TimeSpan took = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(took < TimeSpan.FromSeconds(3), $"The scrape took {took}.");
        Assert.Contains("metrics_collect_callback_timeouts_total 1\n", body, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("had not returned", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_application_s_collect_timeout_bounds_a_scrape_without_a_timeout_header()
    {
        MetricRegistry registry = SampleRegistries.Small();
        using var hung = new BlockingCallback();
        using IDisposable registration = registry.AddCollectCallback(hung.Invoke);
        await using RunningApp app = await RunningApp.StartAsync(
            a => a.MapAriaMetrics(registry: registry),
            services => services.Configure<MetricsServerOptions>(options => options.CollectTimeout = TimeSpan.FromSeconds(1)));
        await WarmUpAsync(app);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "metrics");
        string body = await response.Content.ReadAsStringAsync();
        TimeSpan took = watch.Elapsed;

        // The default deadline would have held it 5 s.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(took, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(3));
        Assert.Contains("metrics_collect_callback_timeouts_total 1\n", body, StringComparison.Ordinal);
    }

    private static async Task WarmUpAsync(RunningApp app)
    {
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Head, "metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
