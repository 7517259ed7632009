using System.Globalization;
using System.Text.Json;
using Aria.Metrics.Cells;
using Aria.Metrics.Exposition;
using Aria.Metrics.Tests.Labels;
using static Aria.Metrics.TestSupport.ReferenceProtobuf;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// Where the series limit, removal, expiry and the numeric edges meet the protobuf format, native histograms, exemplars
/// and <c>_created</c> samples: the overflow series and its label in every format, removed and expired series absent
/// from every format (native histogram series included), and native histogram counts that saturate instead of wrapping.
/// The protobuf bodies are judged by the reference schema, the text bodies by promtool and the strict OpenMetrics parser.
/// </summary>
public sealed class SeriesLifecycleInEveryFormatTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static async Task<JsonElement[]> DecodeAsync(MetricRegistry registry) =>
        await ReferenceProtobuf.DecodeAsync(Render.Bytes(registry, ExpositionFormat.Protobuf));

    private static long Long(JsonElement parent, string field) =>
        parent.TryGetProperty(field, out JsonElement value)
            ? long.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), CultureInfo.InvariantCulture)
            : 0;

    private static long[] Deltas(JsonElement histogram, string field) =>
        histogram.TryGetProperty(field, out JsonElement deltas)
            ? deltas.EnumerateArray().Select(d => long.Parse(d.ValueKind == JsonValueKind.String ? d.GetString()! : d.GetRawText(), CultureInfo.InvariantCulture)).ToArray()
            : [];

    /// <summary>The native bucket counts of one sign: the running sums of its deltas.</summary>
    private static List<long> BucketCounts(JsonElement histogram, string field)
    {
        var counts = new List<long>();
        long running = 0;
        foreach (long delta in Deltas(histogram, field))
        {
            running += delta;
            counts.Add(running);
        }

        return counts;
    }

    /// <summary>The metric whose labels are exactly <paramref name="labels"/>.</summary>
    private static JsonElement Metric(JsonElement family, params (string Name, string Value)[] labels) =>
        Assert.Single(
            family.GetProperty("metric").EnumerateArray(),
            metric => LabelsOf(metric).OrderBy(l => l.Key, StringComparer.Ordinal)
                .SequenceEqual(labels.Select(l => new KeyValuePair<string, string>(l.Name, l.Value)).OrderBy(l => l.Key, StringComparer.Ordinal)));

    private static async Task AssertTextFormatsValidAsync(MetricRegistry registry)
    {
        await ExternalValidators.AssertValidTextAsync(Render.Text(registry));
        await ExternalValidators.AssertValidOpenMetricsAsync(Render.OpenMetrics(registry));
    }

    [Fact]
    public async Task Protobuf_carries_the_overflow_series_with_its_label_alone_and_the_refusal_counter()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("jobs_total", "Jobs.", "job", "status");
        counter.SeriesLimit = 3;
        counter.WithLabels("a", "ok").Inc();
        counter.WithLabels("b", "ok").Inc(2);
        counter.WithLabels("c", "ok").Inc(4);
        counter.WithLabels("d", "error").Inc(8);

        JsonElement[] families = await DecodeAsync(registry);

        JsonElement jobs = Family(families, "jobs_total");
        Assert.Equal(3, jobs.GetProperty("metric").GetArrayLength());
        Assert.Equal(1, Number(Metric(jobs, ("job", "a"), ("status", "ok")).GetProperty("counter").GetProperty("value")));
        Assert.Equal(2, Number(Metric(jobs, ("job", "b"), ("status", "ok")).GetProperty("counter").GetProperty("value")));
        JsonElement overflow = Metric(jobs, (MetricFamily.OverflowLabelName, "true")).GetProperty("counter");
        Assert.Equal(12, Number(overflow.GetProperty("value")));
        Assert.True(overflow.TryGetProperty("start_timestamp", out _));

        JsonElement refused = Family(families, "metrics_series_refused_total");
        Assert.Equal("COUNTER", refused.GetProperty("type").GetString());
        Assert.Equal(2, Number(Metric(refused, ("metric", "jobs_total")).GetProperty("counter").GetProperty("value")));
        await AssertTextFormatsValidAsync(registry);
    }

    [Fact]
    public async Task Native_histogram_series_count_toward_the_limit_and_the_overflow_series_is_native_too()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram(
            "latency_seconds", "Latency.", new HistogramOptions { Buckets = [0.1, 1], NativeBucketFactor = 1.1 }, "route");
        histogram.SeriesLimit = 2;
        histogram.WithLabels("/a").Observe(0.05);
        histogram.WithLabels("/b").Observe(0.5);
        histogram.WithLabels("/c").Observe(5);

        Assert.Equal(2, histogram.SeriesCount);
        Assert.NotNull(histogram.OverflowSeries?.Native);
        JsonElement family = Family(await DecodeAsync(registry), "latency_seconds");
        Assert.Equal(2, family.GetProperty("metric").GetArrayLength());
        Assert.Equal(1, Long(Metric(family, ("route", "/a")).GetProperty("histogram"), "sample_count"));

        JsonElement overflow = Metric(family, (MetricFamily.OverflowLabelName, "true")).GetProperty("histogram");
        Assert.Equal(2, Long(overflow, "sample_count"));
        Assert.Equal(5.5, Number(overflow.GetProperty("sample_sum")), 9);
        Assert.True(overflow.TryGetProperty("schema", out _));
        Assert.Equal(2, BucketCounts(overflow, "positive_delta").Sum());

        string openMetrics = Render.OpenMetrics(registry);
        Assert.Contains("latency_seconds_count{metrics_overflow=\"true\"} 2\n", openMetrics, StringComparison.Ordinal);
        await AssertTextFormatsValidAsync(registry);
    }

    [Fact]
    public async Task A_removed_series_is_absent_from_protobuf_and_a_family_left_without_series_is_left_out()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("jobs_total", "Jobs.", "job");
        counter.WithLabels("a").Inc();
        counter.WithLabels("b").Inc(2);
        Gauge gauge = registry.CreateGauge("queue_depth", "Depth.", "queue");
        gauge.WithLabels("only").Set(3);

        Assert.True(counter.Remove("a"));
        Assert.True(gauge.Remove("only"));
        JsonElement[] families = await DecodeAsync(registry);

        JsonElement jobs = Family(families, "jobs_total");
        JsonElement remaining = Assert.Single(jobs.GetProperty("metric").EnumerateArray());
        Assert.Equal("b", LabelsOf(remaining)["job"]);
        Assert.DoesNotContain(families, f => f.GetProperty("name").GetString() == "queue_depth");
    }

    [Fact]
    public async Task A_removed_native_histogram_series_comes_back_in_protobuf_when_a_kept_handle_observes()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("latency_seconds", "Latency.", new HistogramOptions { NativeBucketFactor = 2 }, "route");
        HistogramSeries kept = histogram.WithLabels("/a");
        kept.Observe(0.5);
        histogram.WithLabels("/b").Observe(1.5);
        Assert.True(histogram.Remove("/a"));
        JsonElement family = Family(await DecodeAsync(registry), "latency_seconds");
        Assert.Equal("/b", LabelsOf(Assert.Single(family.GetProperty("metric").EnumerateArray()))["route"]);

        kept.Observe(0.75);
        family = Family(await DecodeAsync(registry), "latency_seconds");
        Assert.Equal(2, Long(Metric(family, ("route", "/a")).GetProperty("histogram"), "sample_count"));
    }

    [Fact]
    public async Task Native_histogram_series_expire_when_only_protobuf_scrapes_look_at_them()
    {
        var clock = new ManualClock();
        var registry = new MetricRegistry(clock);
        Histogram histogram = registry.CreateHistogram(
            "latency_seconds", "Latency.", new HistogramOptions { Buckets = [1], NativeBucketFactor = 1.1 }, "route");
        histogram.SeriesExpiry = Minute;
        HistogramSeries busy = histogram.WithLabels("/busy");
        histogram.WithLabels("/idle").Observe(0.2);
        busy.Observe(0.3);
        _ = await DecodeAsync(registry);

        for (int i = 0; i < 3; i++)
        {
            clock.Advance(Minute / 2);
            busy.Observe(0.4);
            _ = Render.Bytes(registry, ExpositionFormat.Protobuf);
        }

        JsonElement family = Family(await DecodeAsync(registry), "latency_seconds");
        JsonElement only = Assert.Single(family.GetProperty("metric").EnumerateArray());
        Assert.Equal("/busy", LabelsOf(only)["route"]);
        Assert.Equal(4, Long(only.GetProperty("histogram"), "sample_count"));
        Assert.Equal(1, histogram.SeriesCount);
    }

    [Fact]
    public async Task Native_histogram_counts_saturate_instead_of_wrapping_and_every_format_stays_valid()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram(
            "flood_seconds", "Flood.", new HistogramOptions { Buckets = [1], NativeBucketFactor = 2 });
        histogram.Observe(0.5, long.MaxValue);
        histogram.Observe(4, long.MaxValue);
        histogram.Observe(4, 1000);
        histogram.Observe(0.5);

        // The batches stop at the cap; a single observation still counts.
        long expected = NativeHistogramCells.CountCap + 1;
        Assert.Equal(expected, histogram.WithLabels().Count);

        JsonElement decoded = Metric(Family(await DecodeAsync(registry), "flood_seconds")).GetProperty("histogram");
        Assert.Equal(expected, Long(decoded, "sample_count"));
        List<long> counts = BucketCounts(decoded, "positive_delta");
        Assert.All(counts, count => Assert.True(count >= 0, "a native bucket count decoded negative"));
        Assert.Equal(expected, Long(decoded, "zero_count") + counts.Sum());
        JsonElement[] buckets = [.. decoded.GetProperty("bucket").EnumerateArray()];
        Assert.All(buckets, b => Assert.True(Long(b, "cumulative_count") is >= 0 and <= NativeHistogramCells.CountCap + 1));
        Assert.Equal(expected, Long(buckets[0], "cumulative_count"));
        Assert.True(double.IsFinite(Number(decoded.GetProperty("sample_sum"))));

        string text = Render.Text(registry);
        string count = Assert.Single(text.Split('\n'), line => line.StartsWith("flood_seconds_count ", StringComparison.Ordinal));
        Assert.Equal(expected, double.Parse(count["flood_seconds_count ".Length..], CultureInfo.InvariantCulture), (double)expected * 1e-15);
        Assert.DoesNotContain(" -", text, StringComparison.Ordinal);
        await AssertTextFormatsValidAsync(registry);
    }

    [Fact]
    public async Task A_native_histogram_sum_stays_finite_when_finite_observations_overflow_it()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("huge", "Huge.", new HistogramOptions { NativeBucketFactor = 2 });
        histogram.Observe(1e308);
        histogram.Observe(1e308, 3);

        Assert.Equal(double.MaxValue, histogram.WithLabels().Sum);
        JsonElement decoded = Metric(Family(await DecodeAsync(registry), "huge")).GetProperty("histogram");
        Assert.Equal(double.MaxValue, Number(decoded.GetProperty("sample_sum")));
        Assert.Equal(4, Long(decoded, "sample_count"));
        await AssertTextFormatsValidAsync(registry);
    }

    [Fact]
    public async Task Exemplars_and_created_samples_of_the_overflow_series_pass_the_judges_in_every_format()
    {
        var registry = new MetricRegistry { OpenMetricsCreatedSamples = true };
        Counter counter = registry.CreateCounter("calls_total", "Calls.", "user");
        Histogram histogram = registry.CreateHistogram(
            "call_seconds", "Call latency.", new HistogramOptions { Buckets = [0.1, 1], NativeBucketFactor = 1.1 }, "user");
        counter.SeriesLimit = 1;
        histogram.SeriesLimit = 1;
        counter.WithLabels("someone").Inc(new Exemplar("trace_id", "0af7651916cd43dd8448eb211c80319c"));
        histogram.WithLabels("someone").Observe(0.5, new Exemplar("trace_id", "b7ad6b7169203331"));

        string openMetrics = Render.OpenMetrics(registry);
        Assert.Contains("calls_total{metrics_overflow=\"true\"} 1 # {trace_id=\"0af7651916cd43dd8448eb211c80319c\"} 1 ", openMetrics, StringComparison.Ordinal);
        Assert.Contains("calls_created{metrics_overflow=\"true\"} ", openMetrics, StringComparison.Ordinal);
        Assert.Contains("call_seconds_bucket{metrics_overflow=\"true\",le=\"1.0\"} 1 # {trace_id=\"b7ad6b7169203331\"} 0.5 ", openMetrics, StringComparison.Ordinal);
        Assert.Contains("call_seconds_created{metrics_overflow=\"true\"} ", openMetrics, StringComparison.Ordinal);
        await AssertTextFormatsValidAsync(registry);

        JsonElement[] families = await DecodeAsync(registry);
        JsonElement calls = Metric(Family(families, "calls_total"), (MetricFamily.OverflowLabelName, "true")).GetProperty("counter");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", calls.GetProperty("exemplar").GetProperty("label")[0].GetProperty("value").GetString());
        JsonElement call = Metric(Family(families, "call_seconds"), (MetricFamily.OverflowLabelName, "true")).GetProperty("histogram");
        Assert.Equal("b7ad6b7169203331", Assert.Single(call.GetProperty("exemplars").EnumerateArray()).GetProperty("label")[0].GetProperty("value").GetString());
    }
}
