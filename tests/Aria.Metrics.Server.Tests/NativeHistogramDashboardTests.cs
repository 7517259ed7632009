namespace Aria.Metrics.Server.Tests;

/// <summary>
/// The proof of native histograms, against a real Prometheus 2.42 started with
/// <c>--enable-feature=native-histograms,exemplar-storage</c> scraping the real demo: it negotiates protobuf, stores the
/// latency histograms as native histograms (their classic buckets are then not stored), answers
/// <c>histogram_quantile(0.95, sum(rate(aria_request_duration_seconds[1m])))</c> and every dashboard panel, and returns
/// the demo's exemplars with trace ids. A class of its own, so that xunit runs it beside the classic mode.
/// </summary>
public sealed class NativeHistogramDashboardTests
{
    [Fact(Timeout = 240_000)]
    public async Task With_native_histograms_on_the_quantile_every_panel_and_the_exemplars_answer()
    {
        string output = await GrafanaDashboardTests.ProveAsync(
            "--feature", "native-histograms",
            "--feature", "exemplar-storage",
            "--expr", "histogram_quantile(0.95, sum(rate(aria_request_duration_seconds[1m])))",
            "--expr", "histogram_count(rate(aria_llm_request_duration_seconds[1m]))",
            "--absent", "aria_request_duration_seconds_bucket",
            "--absent", "aria_db_query_duration_seconds_bucket",
            "--exemplars", "aria_request_duration_seconds",
            "--exemplars", "aria_requests_total");

        // The histograms without native buckets are still classic ones, and their panels answered too.
        Assert.Contains("histogram_quantile(0.95, sum(rate(aria_request_duration_seconds[1m])))", output, StringComparison.Ordinal);
        Assert.Contains("exemplars with a trace_id  aria_request_duration_seconds", output, StringComparison.Ordinal);
    }
}
