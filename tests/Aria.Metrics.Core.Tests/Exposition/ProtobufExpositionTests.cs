using System.Text.Json;
using Aria.Metrics.Exposition;
using Aria.Metrics.Tests.Properties;
using FsCheck.Fluent;
using static Aria.Metrics.TestSupport.ReferenceProtobuf;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// The protobuf body, judged by the reference schema (Debian's client_model <c>metrics.proto</c>, compiled by protoc and
/// parsed by Python's protobuf runtime): every family decodes, and carries the names, types, help, labels and values
/// that the registry holds.
/// </summary>
public sealed class ProtobufExpositionTests
{
    private static async Task<JsonElement[]> DecodeAsync(MetricRegistry registry) =>
        await ReferenceProtobuf.DecodeAsync(Render.Bytes(registry, ExpositionFormat.Protobuf));

    private static JsonElement Metric(JsonElement family, params (string Name, string Value)[] labels) =>
        Assert.Single(
            family.GetProperty("metric").EnumerateArray(),
            metric => LabelsOf(metric).OrderBy(l => l.Key).SequenceEqual(labels.Select(l => new KeyValuePair<string, string>(l.Name, l.Value)).OrderBy(l => l.Key)));

    [Fact]
    public async Task Every_kind_of_family_decodes_with_the_reference_schema_and_carries_the_registry_values()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("aria_requests_total", "Total requests processed", "method", "status");
        requests.WithLabels("chat", "200").Inc(3);
        requests.WithLabels("chat", "500").Inc(0.25);
        registry.CreateObservedCounter("cpu_seconds_total", "CPU time.").Set(12.5);
        Gauge gauge = registry.CreateGauge("temperature_celsius", "A \"quoted\" help\nover two lines.", "room");
        gauge.WithLabels("cellar").Set(-3.5);
        gauge.WithLabels("attic").Set(double.NaN);
        gauge.WithLabels("roof").Set(double.PositiveInfinity);
        Histogram histogram = registry.CreateHistogram("aria_request_duration_seconds", "Request duration in seconds", [0.1, 1, 10], "method");
        histogram.WithLabels("chat").Observe(0.05);
        histogram.WithLabels("chat").Observe(0.5);
        histogram.WithLabels("chat").Observe(50);
        registry.CreateHistogram("offset_seconds", "Clock offset.", [-1, 0, 1]).Observe(-2);
        registry.CreateInfo("aria_build", "Aria Blue build information", "version").Set("2.0.0");
        registry.CreateCounter("never_used_total", "No series yet.", "label");

        JsonElement[] families = await DecodeAsync(registry);

        Assert.Equal(
            ["aria_build_info", "aria_request_duration_seconds", "aria_requests_total", "cpu_seconds_total", "offset_seconds", "temperature_celsius"],
            families.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));

        JsonElement counter = Family(families, "aria_requests_total");
        Assert.Equal("COUNTER", counter.GetProperty("type").GetString());
        Assert.Equal("Total requests processed", counter.GetProperty("help").GetString());
        Assert.Equal(3, Number(Metric(counter, ("method", "chat"), ("status", "200")).GetProperty("counter").GetProperty("value")));
        Assert.Equal(0.25, Number(Metric(counter, ("method", "chat"), ("status", "500")).GetProperty("counter").GetProperty("value")));
        Assert.Equal(12.5, Number(Metric(Family(families, "cpu_seconds_total")).GetProperty("counter").GetProperty("value")));

        JsonElement temperature = Family(families, "temperature_celsius");
        Assert.Equal("GAUGE", temperature.GetProperty("type").GetString());
        Assert.Equal("A \"quoted\" help\nover two lines.", temperature.GetProperty("help").GetString());
        Assert.Equal(-3.5, Number(Metric(temperature, ("room", "cellar")).GetProperty("gauge").GetProperty("value")));
        Assert.True(double.IsNaN(Number(Metric(temperature, ("room", "attic")).GetProperty("gauge").GetProperty("value"))));
        Assert.Equal(double.PositiveInfinity, Number(Metric(temperature, ("room", "roof")).GetProperty("gauge").GetProperty("value")));

        JsonElement duration = Metric(Family(families, "aria_request_duration_seconds"), ("method", "chat")).GetProperty("histogram");
        Assert.Equal("HISTOGRAM", Family(families, "aria_request_duration_seconds").GetProperty("type").GetString());
        Assert.Equal(3, Number(duration.GetProperty("sample_count")));
        Assert.Equal(50.55, Number(duration.GetProperty("sample_sum")), 9);
        Assert.Equal(
            [(0.1, 1.0), (1.0, 2.0), (10.0, 2.0)],
            duration.GetProperty("bucket").EnumerateArray().Select(b => (Number(b.GetProperty("upper_bound")), Number(b.GetProperty("cumulative_count")))));

        // Negative buckets and a negative sum are fine in protobuf (OpenMetrics leaves such a sum out).
        JsonElement offset = Metric(Family(families, "offset_seconds")).GetProperty("histogram");
        Assert.Equal(-2, Number(offset.GetProperty("sample_sum")));
        Assert.Equal(1, Number(offset.GetProperty("bucket")[0].GetProperty("cumulative_count")));

        // An info is a gauge of value 1 named with its _info suffix, as in text 0.0.4.
        JsonElement build = Family(families, "aria_build_info");
        Assert.Equal("GAUGE", build.GetProperty("type").GetString());
        Assert.Equal(1, Number(Metric(build, ("version", "2.0.0")).GetProperty("gauge").GetProperty("value")));
    }

    [Fact]
    public async Task Any_label_values_and_values_survive_the_reference_decoder_exactly()
    {
        string[] labels = Generators.LabelValue.Sample(300, 60).Distinct().ToArray();
        double[] values = Generators.AnyDouble.Sample(labels.Length, 100);
        double[] counts = Generators.CounterValue.Sample(labels.Length, 100);
        var registry = new MetricRegistry();
        Gauge gauge = registry.CreateGauge("roundtrip_level", "Gauge of the corpus.", "value");
        Counter counter = registry.CreateCounter("roundtrip_events_total", "Counter of the corpus.", "value");
        for (int i = 0; i < labels.Length; i++)
        {
            gauge.WithLabels(labels[i]).Set(values[i]);
            counter.WithLabels(labels[i]).Inc(counts[i]);
        }

        JsonElement[] families = await DecodeAsync(registry);

        AssertValues(Family(families, "roundtrip_level"), "gauge", labels, values);
        AssertValues(Family(families, "roundtrip_events_total"), "counter", labels, counts);
    }

    [Fact]
    public async Task Long_labels_and_families_far_larger_than_a_chunk_keep_their_lengths_right()
    {
        // Label values above 127 bytes and metrics above 127 bytes take multi-byte lengths; 5000 series make a family of
        // several hundred kilobytes, many times the writer's chunk.
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("wide_total", "Wide.", "a", "b");

        // Above the default series limit of 2000, which would send most of them to the overflow series.
        counter.SeriesLimit = int.MaxValue;
        string wide = new('é', 200);
        for (int i = 0; i < 5000; i++)
        {
            counter.WithLabels($"{wide}{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc(i);
        }

        registry.CreateGauge("after", "Comes after the wide family.").Set(7);

        JsonElement[] families = await DecodeAsync(registry);

        JsonElement[] metrics = Family(families, "wide_total").GetProperty("metric").EnumerateArray().ToArray();
        Assert.Equal(5000, metrics.Length);
        Assert.All(metrics, metric =>
        {
            Dictionary<string, string> labels = LabelsOf(metric);
            Assert.Equal($"{wide}{labels["b"]}", labels["a"]);
            Assert.Equal(double.Parse(labels["b"], System.Globalization.CultureInfo.InvariantCulture), Number(metric.GetProperty("counter").GetProperty("value")));
        });
        Assert.Equal(7, Number(Family(families, "after").GetProperty("metric")[0].GetProperty("gauge").GetProperty("value")));
    }

    [Fact]
    public async Task A_histogram_with_many_buckets_is_cumulative_and_its_count_is_the_total()
    {
        var registry = new MetricRegistry();
        double[] bounds = Buckets.Exponential(1e-6, 1.5, 60);
        Histogram histogram = registry.CreateHistogram("wide_seconds", "Wide.", bounds);
        double[] observations = Generators.AnyDouble.Where(double.IsFinite).Select(Math.Abs).Sample(2000, 100);
        foreach (double observation in observations)
        {
            histogram.Observe(observation % 1e6);
        }

        JsonElement message = Family(await DecodeAsync(registry), "wide_seconds").GetProperty("metric")[0].GetProperty("histogram");

        double[] cumulative = message.GetProperty("bucket").EnumerateArray().Select(b => Number(b.GetProperty("cumulative_count"))).ToArray();
        Assert.Equal(bounds.Length, cumulative.Length);
        for (int i = 0; i < bounds.Length; i++)
        {
            Assert.Equal(observations.Count(o => o % 1e6 <= bounds[i]), cumulative[i]);
        }

        Assert.Equal(observations.Length, Number(message.GetProperty("sample_count")));
    }

    private static void AssertValues(JsonElement family, string kind, string[] labels, double[] values)
    {
        var seen = family.GetProperty("metric").EnumerateArray().ToDictionary(
            metric => LabelsOf(metric)["value"],
            metric => Number(metric.GetProperty(kind).GetProperty("value")));
        Assert.Equal(labels.Length, seen.Count);
        for (int i = 0; i < labels.Length; i++)
        {
            Assert.True(seen.TryGetValue(labels[i], out double actual), $"Label value {JsonSerializer.Serialize(labels[i])} did not survive.");
            Assert.True(
                BitConverter.DoubleToInt64Bits(values[i]) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(values[i]) && double.IsNaN(actual)),
                $"{JsonSerializer.Serialize(labels[i])}: wrote {values[i]:R}, decoded {actual:R}.");
        }
    }
}
