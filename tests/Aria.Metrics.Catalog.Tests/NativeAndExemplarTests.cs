using System.Diagnostics;
using System.Text.Json;
using Aria.Metrics.Exposition;
using static Aria.Metrics.TestSupport.ReferenceProtobuf;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>
/// The catalog's latency histograms expose native buckets beside their classic ones, and the catalog's request counters
/// and latency histograms take exemplars from the current activity: judged in the protobuf body by the reference schema.
/// </summary>
public sealed class NativeAndExemplarTests
{
    private static readonly string[] Latency =
    [
        "aria_request_duration_seconds",
        "aria_llm_request_duration_seconds",
        "aria_llm_thinking_duration_seconds",
        "aria_skill_execution_duration_seconds",
        "aria_db_query_duration_seconds",
        "aria_scheduler_execution_duration_seconds",
    ];

    [Fact]
    public async Task The_six_latency_histograms_have_native_buckets_and_the_others_classic_ones_only()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        await CatalogWorkout.ExerciseEveryHelperAsync(metrics);

        JsonElement[] families = await DecodeAsync(Render.Bytes(metrics.Registry, ExpositionFormat.Protobuf));

        foreach (JsonElement family in families.Where(f => f.GetProperty("type").GetString() == "HISTOGRAM"))
        {
            string name = family.GetProperty("name").GetString()!;
            foreach (JsonElement metric in family.GetProperty("metric").EnumerateArray())
            {
                JsonElement histogram = metric.GetProperty("histogram");
                Assert.True(histogram.GetProperty("bucket").GetArrayLength() > 0, $"{name} lost its classic buckets");
                bool native = histogram.TryGetProperty("schema", out JsonElement schema);
                Assert.True(native == Latency.Contains(name), $"{name}: native buckets {(native ? "present" : "missing")}");
                if (native)
                {
                    Assert.Equal(3, schema.GetInt32());
                }
            }
        }

        Assert.Equal(Latency.Order(), families.Select(f => f.GetProperty("name").GetString()!).Where(n => Latency.Contains(n)).Order());
    }

    [Fact]
    public async Task Requests_inside_an_activity_leave_its_trace_as_exemplars()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        string traceId;
        using (Activity activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            traceId = activity.TraceId.ToHexString();
            await metrics.TrackRequestAsync("chat", static async () => await Task.Delay(5));
        }

        await metrics.TrackRequestAsync("untraced", static () => Task.CompletedTask);

        JsonElement[] families = await DecodeAsync(Render.Bytes(metrics.Registry, ExpositionFormat.Protobuf));

        JsonElement counter = Family(families, "aria_requests_total").GetProperty("metric").EnumerateArray()
            .Single(m => LabelsOf(m)["method"] == "chat").GetProperty("counter");
        Assert.Equal(traceId, TraceIdOf(counter.GetProperty("exemplar")));
        Assert.False(Family(families, "aria_requests_total").GetProperty("metric").EnumerateArray()
            .Single(m => LabelsOf(m)["method"] == "untraced").GetProperty("counter").TryGetProperty("exemplar", out _));

        JsonElement histogram = Family(families, "aria_request_duration_seconds").GetProperty("metric").EnumerateArray()
            .Single(m => LabelsOf(m)["method"] == "chat").GetProperty("histogram");
        Assert.Equal(traceId, TraceIdOf(Assert.Single(histogram.GetProperty("exemplars").EnumerateArray())));
        Assert.Equal(traceId, TraceIdOf(histogram.GetProperty("bucket").EnumerateArray().Single(b => b.TryGetProperty("exemplar", out _)).GetProperty("exemplar")));
    }

    private static string? TraceIdOf(JsonElement exemplar) =>
        exemplar.GetProperty("label").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "trace_id").GetProperty("value").GetString();
}
