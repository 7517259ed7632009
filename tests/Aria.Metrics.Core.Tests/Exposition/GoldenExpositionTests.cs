
namespace Aria.Metrics.Tests.Exposition;

public sealed class GoldenExpositionTests
{
    private static MetricRegistry Populated()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("aria_requests_total", "Total requests processed", "method", "status");
        requests.WithLabels("chat", "200").Inc();
        requests.WithLabels("chat", "200").Inc(2);
        requests.WithLabels("chat", "500").Inc();
        Gauge active = registry.CreateGauge("aria_sessions_active", "Number of active sessions");
        active.Set(3);
        Histogram duration = registry.CreateHistogram(
            "aria_request_duration_seconds", "Request duration in seconds", [0.1, 1, 10], "method");
        duration.WithLabels("chat").Observe(0.05);
        duration.WithLabels("chat").Observe(0.5);
        duration.WithLabels("chat").Observe(50);
        Info build = registry.CreateInfo("aria_build", "Aria Blue build information", "version", "engine");
        build.Set("2.0.0", "aria_engine");
        return registry;
    }

    [Fact]
    public void Text_format_matches_the_golden_exposition()
    {
        const string expected = """
            # HELP aria_build_info Aria Blue build information
            # TYPE aria_build_info gauge
            aria_build_info{version="2.0.0",engine="aria_engine"} 1
            # HELP aria_request_duration_seconds Request duration in seconds
            # TYPE aria_request_duration_seconds histogram
            aria_request_duration_seconds_bucket{method="chat",le="0.1"} 1
            aria_request_duration_seconds_bucket{method="chat",le="1"} 2
            aria_request_duration_seconds_bucket{method="chat",le="10"} 2
            aria_request_duration_seconds_bucket{method="chat",le="+Inf"} 3
            aria_request_duration_seconds_sum{method="chat"} 50.55
            aria_request_duration_seconds_count{method="chat"} 3
            # HELP aria_requests_total Total requests processed
            # TYPE aria_requests_total counter
            aria_requests_total{method="chat",status="200"} 3
            aria_requests_total{method="chat",status="500"} 1
            # HELP aria_sessions_active Number of active sessions
            # TYPE aria_sessions_active gauge
            aria_sessions_active 3

            """;
        Assert.Equal(expected, Render.Text(Populated()));
    }

    [Fact]
    public void OpenMetrics_format_matches_the_golden_exposition()
    {
        const string expected = """
            # HELP aria_build Aria Blue build information
            # TYPE aria_build info
            aria_build_info{version="2.0.0",engine="aria_engine"} 1
            # HELP aria_request_duration_seconds Request duration in seconds
            # TYPE aria_request_duration_seconds histogram
            aria_request_duration_seconds_bucket{method="chat",le="0.1"} 1
            aria_request_duration_seconds_bucket{method="chat",le="1.0"} 2
            aria_request_duration_seconds_bucket{method="chat",le="10.0"} 2
            aria_request_duration_seconds_bucket{method="chat",le="+Inf"} 3
            aria_request_duration_seconds_sum{method="chat"} 50.55
            aria_request_duration_seconds_count{method="chat"} 3
            # HELP aria_requests Total requests processed
            # TYPE aria_requests counter
            aria_requests_total{method="chat",status="200"} 3
            aria_requests_total{method="chat",status="500"} 1
            # HELP aria_sessions_active Number of active sessions
            # TYPE aria_sessions_active gauge
            aria_sessions_active 3
            # EOF

            """;
        Assert.Equal(expected, Render.OpenMetrics(Populated()));
    }
}
