using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aria.Metrics.Exposition;
using static Aria.Metrics.TestSupport.ReferenceProtobuf;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// Exemplars on counters and histogram buckets: given explicitly or taken from the current activity, written in
/// OpenMetrics (judged by Python's strict parser) and protobuf (judged by the reference schema), never in text 0.0.4,
/// and refused with a clear message when OpenMetrics would refuse them.
/// </summary>
public sealed class ExemplarTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";

    // Each OpenMetrics sample that carries an exemplar: [sample name, sample labels, exemplar labels, exemplar value, exemplar timestamp].
    private const string ExemplarDump = """
        import sys, json
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
        out = []
        for family in parse(sys.stdin.buffer.read().decode('utf-8')):
            for s in family.samples:
                if s.exemplar is not None:
                    out.append([s.name, s.labels, s.exemplar.labels, s.exemplar.value, float(s.exemplar.timestamp)])
        sys.stdout.write(json.dumps(out))
        """;

    private static JsonElement[] OpenMetricsExemplars(MetricRegistry registry)
    {
        (int exitCode, string output) = ExternalValidators.Run(ExternalValidators.Python, ["-c", ExemplarDump], Render.OpenMetrics(registry));
        Assert.True(exitCode == 0, $"The strict OpenMetrics parser refused the exposition: {output}\n{Render.OpenMetrics(registry)}");
        return JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static double NowSeconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    [Fact]
    public void A_counter_exemplar_follows_its_sample_in_OpenMetrics_only()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("requests_total", "Requests.", "method");
        double before = NowSeconds();
        requests.WithLabels("chat").Inc(2.5, new Exemplar("trace_id", TraceId, "span_id", SpanId));
        double after = NowSeconds();

        JsonElement exemplar = Assert.Single(OpenMetricsExemplars(registry));
        Assert.Equal("requests_total", exemplar[0].GetString());
        Assert.Equal("chat", exemplar[1].GetProperty("method").GetString());
        Assert.Equal(TraceId, exemplar[2].GetProperty("trace_id").GetString());
        Assert.Equal(SpanId, exemplar[2].GetProperty("span_id").GetString());
        Assert.Equal(2.5, exemplar[3].GetDouble());
        // Exemplar times come from a coarse clock, good to its tick of a few milliseconds.
        Assert.InRange(exemplar[4].GetDouble(), before - 0.05, after + 0.05);

        string text = Render.Text(registry);
        Assert.DoesNotContain("#", text.Split('\n').Where(l => !l.StartsWith('#')).Aggregate(string.Empty, string.Concat), StringComparison.Ordinal);
        Assert.Equal((0, string.Empty), ExternalValidators.PromtoolCheckMetrics(text));
    }

    [Fact]
    public void Each_histogram_bucket_keeps_its_latest_exemplar()
    {
        var registry = new MetricRegistry();
        Histogram duration = registry.CreateHistogram("duration_seconds", "Duration.", [0.1, 1], "method");
        HistogramSeries chat = duration.WithLabels("chat");
        chat.Observe(0.05, new Exemplar("trace_id", "first"));
        chat.Observe(0.07, new Exemplar("trace_id", "second"));
        chat.Observe(0.5);
        chat.Observe(7, new Exemplar("trace_id", "slow"));

        JsonElement[] exemplars = OpenMetricsExemplars(registry);

        Assert.Equal(
            [("0.1", "second", 0.07), ("+Inf", "slow", 7.0)],
            exemplars.Select(e => (e[1].GetProperty("le").GetString(), e[2].GetProperty("trace_id").GetString(), e[3].GetDouble())));
        Assert.All(exemplars, e => Assert.Equal("duration_seconds_bucket", e[0].GetString()));
    }

    [Fact]
    public void Exemplar_label_values_with_quotes_backslashes_and_new_lines_survive_the_strict_parser()
    {
        var registry = new MetricRegistry();
        const string awkward = "a \"quoted\" back\\slash,\nnew line, ünïcödé ✓ 🚀";
        registry.CreateCounter("awkward_total", "Awkward.").Inc(new Exemplar("note", awkward));

        JsonElement exemplar = Assert.Single(OpenMetricsExemplars(registry));
        Assert.Equal(awkward, exemplar[2].GetProperty("note").GetString());
    }

    [Fact]
    public void The_128_character_limit_is_enforced_at_the_call_and_nothing_is_counted()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("limited_total", "Limited.");
        Histogram histogram = registry.CreateHistogram("limited_seconds", "Limited.", [1]);

        // "id" is 2 characters: 126 more make exactly 128, which is allowed; the emoji counts as one character.
        counter.Inc(new Exemplar("id", new string('x', 125) + "🚀"));
        var error = Assert.Throws<ArgumentException>(() => counter.Inc(new Exemplar("id", new string('x', 127))));
        Assert.Contains("'limited_total'", error.Message, StringComparison.Ordinal);
        Assert.Contains("128 characters", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => histogram.Observe(0.5, new Exemplar("a", new string('x', 70), "b", new string('y', 70))));

        Assert.Equal(1, counter.Value);
        Assert.Equal(0, histogram.WithLabels().Count);
        Assert.Single(OpenMetricsExemplars(registry));
    }

    [Theory]
    [InlineData("1abc", "x", "does not match")]
    [InlineData("trace-id", "x", "does not match")]
    [InlineData("trace_id", null, "null value")]
    [InlineData("trace_id", "lone high surrogate", "lone surrogate")]
    public void Invalid_exemplar_labels_are_refused_naming_the_metric(string name, string? value, string why)
    {
        // A lone surrogate does not survive xunit's serialization of inline data, so it is made here.
        value = value == "lone high surrogate" ? "abc\ud800" : value;
        Counter counter = new MetricRegistry().CreateCounter("checked_total", "Checked.");
        var error = Assert.Throws<ArgumentException>(() => counter.Inc(new Exemplar(name, value!)));
        Assert.Contains("'checked_total'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => counter.Inc(new Exemplar(ReadOnlySpan<KeyValuePair<string, string>>.Empty)));
        Assert.Equal(0, counter.Value);
    }

    [Fact]
    public void Opted_in_families_take_trace_and_span_from_the_current_activity()
    {
        var registry = new MetricRegistry();
        Counter traced = registry.CreateCounter("traced_total", "Traced.", new CounterOptions { ExemplarsFromActivity = true }, "kind");
        Histogram latency = registry.CreateHistogram("traced_seconds", "Traced.", new HistogramOptions { Buckets = [1], ExemplarsFromActivity = true });
        Counter untraced = registry.CreateCounter("untraced_total", "Not opted in.");

        traced.WithLabels("outside").Inc();
        using (Activity activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            traced.WithLabels("inside").Inc();
            latency.Observe(0.25);
            using (latency.StartTimer())
            {
            }

            untraced.Inc();

            JsonElement[] exemplars = OpenMetricsExemplars(registry);
            Assert.Equal(2, exemplars.Length);
            Assert.All(exemplars, e =>
            {
                Assert.Equal(activity.TraceId.ToHexString(), e[2].GetProperty("trace_id").GetString());
                Assert.Equal(activity.SpanId.ToHexString(), e[2].GetProperty("span_id").GetString());
            });
            Assert.Equal("inside", exemplars.Single(e => e[0].GetString() == "traced_total")[1].GetProperty("kind").GetString());
        }

        // An explicit exemplar wins over the activity's.
        traced.WithLabels("inside").Inc(new Exemplar("trace_id", TraceId));
        Assert.Contains(OpenMetricsExemplars(registry), e => e[2].GetProperty("trace_id").GetString() == TraceId);
    }

    [Fact]
    public async Task Exemplars_and_start_timestamps_decode_with_the_reference_schema()
    {
        var registry = new MetricRegistry();
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Counter requests = registry.CreateCounter("requests_total", "Requests.", "method");
        requests.WithLabels("chat").Inc(3, new Exemplar("trace_id", TraceId, "span_id", SpanId));
        requests.WithLabels("plain").Inc();
        Histogram duration = registry.CreateHistogram("duration_seconds", "Duration.", [0.1, 1]);
        duration.Observe(0.05, new Exemplar("trace_id", "fast"));
        duration.Observe(5, new Exemplar("trace_id", "slow"));
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        JsonElement[] families = await DecodeAsync(Render.Bytes(registry, ExpositionFormat.Protobuf));

        JsonElement[] counters = Family(families, "requests_total").GetProperty("metric").EnumerateArray().ToArray();
        JsonElement chat = counters.Single(m => LabelsOf(m)["method"] == "chat").GetProperty("counter");
        JsonElement exemplar = chat.GetProperty("exemplar");
        Assert.Equal(3, Number(exemplar.GetProperty("value")));
        Assert.Equal(
            new Dictionary<string, string> { ["trace_id"] = TraceId, ["span_id"] = SpanId },
            exemplar.GetProperty("label").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l.GetProperty("value").GetString()!));
        Assert.InRange(DateTimeOffset.Parse(exemplar.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(), before - 1, after + 1);
        Assert.False(counters.Single(m => LabelsOf(m)["method"] == "plain").GetProperty("counter").TryGetProperty("exemplar", out _));
        Assert.All(counters, m => Assert.InRange(long.Parse(m.GetProperty("counter").GetProperty("start_timestamp").GetProperty("seconds").GetRawText(), CultureInfo.InvariantCulture), before, after));

        JsonElement histogram = Family(families, "duration_seconds").GetProperty("metric")[0].GetProperty("histogram");
        JsonElement[] buckets = histogram.GetProperty("bucket").EnumerateArray().ToArray();
        Assert.Equal(3, buckets.Length);
        Assert.Equal("fast", buckets[0].GetProperty("exemplar").GetProperty("label")[0].GetProperty("value").GetString());
        Assert.False(buckets[1].TryGetProperty("exemplar", out _));

        // The +Inf bucket is written only to carry its exemplar, and holds the count.
        Assert.Equal(double.PositiveInfinity, Number(buckets[2].GetProperty("upper_bound")));
        Assert.Equal(2, Number(buckets[2].GetProperty("cumulative_count")));
        Assert.Equal("slow", buckets[2].GetProperty("exemplar").GetProperty("label")[0].GetProperty("value").GetString());
        Assert.InRange(long.Parse(histogram.GetProperty("start_timestamp").GetProperty("seconds").GetRawText(), CultureInfo.InvariantCulture), before, after);
    }

    [Fact]
    public void Recording_an_exemplar_again_allocates_nothing()
    {
        var registry = new MetricRegistry();
        CounterSeries counter = registry.CreateCounter("c_total", "C.", "a").WithLabels("x");
        HistogramSeries histogram = registry.CreateHistogram("h_seconds", "H.", new HistogramOptions { Buckets = [0.1, 1], ExemplarsFromActivity = true }).WithLabels();
        using Activity activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        void Work()
        {
            for (int i = 0; i < 1000; i++)
            {
                counter.Inc(1, new Exemplar("trace_id", TraceId, "span_id", SpanId));
                counter.Inc(Exemplar.FromActivity(activity));
                histogram.Observe(i % 3, new Exemplar("trace_id", TraceId));
                histogram.Observe(0.05);
            }
        }

        Work();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Work();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Scrapes_never_tear_an_exemplar_while_writers_record_new_ones()
    {
        // Each exemplar's label holds its own value: a torn read would pair one's label with another's value.
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("torn_total", "Torn.");
        Histogram histogram = registry.CreateHistogram("torn_seconds", "Torn.", [10, 100]);
        using var stop = new CancellationTokenSource();
        Task[] writers = Enumerable.Range(0, Environment.ProcessorCount).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                int value = random.Next(1, 200);
                string text = value.ToString(CultureInfo.InvariantCulture);
                counter.Inc(value, new Exemplar("v", text, "pad", new string('p', random.Next(0, 60))));
                histogram.Observe(value, new Exemplar("v", text));
            }
        })).ToArray();

        try
        {
            for (int scrape = 0; scrape < 30; scrape++)
            {
                foreach (JsonElement exemplar in OpenMetricsExemplars(registry))
                {
                    Assert.Equal(exemplar[2].GetProperty("v").GetString(), exemplar[3].GetDouble().ToString(CultureInfo.InvariantCulture));
                }

                foreach (JsonElement family in await DecodeAsync(Render.Bytes(registry, ExpositionFormat.Protobuf)))
                {
                    JsonElement metric = family.GetProperty("metric")[0];
                    IEnumerable<JsonElement> exemplars = metric.TryGetProperty("counter", out JsonElement c)
                        ? c.TryGetProperty("exemplar", out JsonElement latest) ? [latest] : []
                        : metric.GetProperty("histogram").GetProperty("bucket").EnumerateArray().Where(b => b.TryGetProperty("exemplar", out _)).Select(b => b.GetProperty("exemplar"));
                    foreach (JsonElement exemplar in exemplars)
                    {
                        string label = exemplar.GetProperty("label").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "v").GetProperty("value").GetString()!;
                        Assert.Equal(label, Number(exemplar.GetProperty("value")).ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
    }
}
