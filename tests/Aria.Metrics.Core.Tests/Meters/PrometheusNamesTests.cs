using Aria.Metrics.Meters;

namespace Aria.Metrics.Tests.Meters;

/// <summary>OpenTelemetry's Prometheus compatibility rules, as the mapping table of docs/meters.md states them.</summary>
public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("http.client.open_connections", "{connection}", true, "http_client_open_connections")]
    [InlineData("kestrel.active_connections", "{connection}", true, "kestrel_active_connections")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", false, "dotnet_gc_heap_total_allocated_bytes")]
    [InlineData("cache.hit_ratio", "1", true, "cache_hit_ratio")]
    [InlineData("cpu.utilization", "1", true, "cpu_utilization_ratio")]
    [InlineData("queue.items", "1", false, "queue_items")]
    [InlineData("network.io", "By/s", true, "network_io_bytes_per_second")]
    [InlineData("requests.rate", "{request}/s", true, "requests_rate_per_second")]
    [InlineData("wait.time", "ms", false, "wait_time_milliseconds")]
    [InlineData("already_seconds", "s", false, "already_seconds")]
    [InlineData("odd..name--x", null, false, "odd_name_x")]
    [InlineData("9lives", "", false, "_9lives")]
    [InlineData("temp", "Cel", true, "temp_celsius")]
    [InlineData("custom", "widgets", false, "custom_widgets")]
    public void Metric_names_follow_the_compatibility_rules(string instrument, string? unit, bool isGauge, string expected) =>
        Assert.Equal(expected, PrometheusNames.MetricName(instrument, unit, isGauge));

    [Theory]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("http.response.status_code", "http_response_status_code")]
    [InlineData("server.port", "server_port")]
    [InlineData("1st", "_1st")]
    [InlineData("a:b", "a_b")]
    public void Tag_keys_become_sanitised_label_names(string key, string expected) =>
        Assert.Equal(expected, PrometheusNames.LabelName(key));

    [Theory]
    [InlineData("...")]
    [InlineData("")]
    public void Names_of_symbols_only_have_no_prometheus_name(string name)
    {
        Assert.Null(PrometheusNames.MetricName(name, null, isGauge: false));
        Assert.Null(PrometheusNames.LabelName(name));
    }
}
