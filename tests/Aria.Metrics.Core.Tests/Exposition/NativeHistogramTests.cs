using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Aria.Metrics.Exposition;
using static Aria.Metrics.TestSupport.ReferenceProtobuf;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// Native histograms as the reference schema decodes them: schema, zero bucket, spans and deltas that put every
/// observation in the bucket whose bounds hold it (checked with logarithms, independently of our own bucket arithmetic),
/// classic buckets beside them in the same message, counts that agree; the bucket limit's three strategies; and the
/// text formats carrying the classic part.
/// </summary>
public sealed class NativeHistogramTests
{
    private static readonly double[] Classic = [0.01, 0.1, 1, 10];

    /// <summary>A decoded native histogram's buckets as (upper bound, count), negatives with negative bounds, in order.</summary>
    private static List<(double UpperBound, long Count)> NativeBuckets(JsonElement histogram)
    {
        int schema = histogram.TryGetProperty("schema", out JsonElement s) ? s.GetInt32() : 0;
        var buckets = new List<(double, long)>();
        foreach ((string spans, string deltas, int sign) in new[] { ("negative_span", "negative_delta", -1), ("positive_span", "positive_delta", 1) })
        {
            long[] counts = Deltas(histogram, deltas);
            int index = 0;
            int key = 0;
            long count = 0;
            bool first = true;
            foreach (JsonElement span in histogram.TryGetProperty(spans, out JsonElement list) ? list.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                int offset = span.TryGetProperty("offset", out JsonElement o) ? o.GetInt32() : 0;
                int length = span.TryGetProperty("length", out JsonElement l) ? l.GetInt32() : 0;
                key = first ? offset : key + offset;
                first = false;
                for (int i = 0; i < length; i++, key++)
                {
                    count += counts[index++];
                    buckets.Add((sign * Math.Pow(2, key * Math.Pow(2, -schema)), count));
                }
            }

            Assert.Equal(counts.Length, index);
        }

        return buckets;
    }

    private static long[] Deltas(JsonElement histogram, string field) =>
        histogram.TryGetProperty(field, out JsonElement deltas)
            ? deltas.EnumerateArray().Select(d => long.Parse(d.ValueKind == JsonValueKind.String ? d.GetString()! : d.GetRawText(), CultureInfo.InvariantCulture)).ToArray()
            : [];

    private static long Long(JsonElement parent, string field) =>
        parent.TryGetProperty(field, out JsonElement value) ? long.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), CultureInfo.InvariantCulture) : 0;

    private static async Task<JsonElement> DecodeHistogramAsync(MetricRegistry registry, string name) =>
        Family(await ReferenceProtobuf.DecodeAsync(Render.Bytes(registry, ExpositionFormat.Protobuf)), name).GetProperty("metric")[0].GetProperty("histogram");

    [Fact]
    public async Task Every_observation_is_in_the_native_bucket_whose_bounds_hold_it_beside_the_classic_buckets()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("latency_seconds", "Latency.", new HistogramOptions { Buckets = Classic, NativeBucketFactor = 1.1 });
        var random = new Random(7);
        double[] observations = [.. Enumerable.Range(0, 2000).Select(_ => Math.Exp((random.NextDouble() * 14) - 9)), 0, 0, -0.5, -3];
        foreach (double observation in observations)
        {
            histogram.Observe(observation);
        }

        JsonElement decoded = await DecodeHistogramAsync(registry, "latency_seconds");

        Assert.Equal(3, decoded.GetProperty("schema").GetInt32());
        Assert.Equal(Math.ScaleB(1, -128), Number(decoded.GetProperty("zero_threshold")));
        Assert.Equal(2, Long(decoded, "zero_count"));
        Assert.Equal(observations.Length, Long(decoded, "sample_count"));
        Assert.Equal(observations.Sum(), Number(decoded.GetProperty("sample_sum")), 6);

        // Each bucket's count is the observations within its bounds, found with logarithms: (2^((k-1)/8), 2^(k/8)].
        List<(double UpperBound, long Count)> buckets = NativeBuckets(decoded);
        Assert.Equal(observations.Length - 2, buckets.Sum(b => b.Count));
        foreach ((double upper, long count) in buckets.Where(b => b.Count != 0))
        {
            double magnitude = Math.Abs(upper);
            double lower = magnitude / Math.Pow(2, 1.0 / 8);
            long expected = observations.Count(o => Math.Sign(o) == Math.Sign(upper) && Math.Abs(o) > lower * (1 + 1e-12) && Math.Abs(o) <= magnitude * (1 + 1e-12));
            Assert.Equal(expected, count);
        }

        // The classic buckets in the same message count the same observations.
        double[] cumulative = decoded.GetProperty("bucket").EnumerateArray().Select(b => Number(b.GetProperty("cumulative_count"))).ToArray();
        Assert.Equal(Classic.Select(bound => (double)observations.Count(o => o <= bound)), cumulative);
    }

    [Fact]
    public async Task Gaps_of_up_to_two_buckets_stay_in_one_span_and_wider_gaps_start_a_new_one()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("gaps", "Gaps.", new HistogramOptions { NativeBucketFactor = 2 });

        // Schema 0: keys 0 (1), 1 (2), 4 (16, a gap of 2), 10 (1024, a gap of 5), observed 1, 2, 3 and 4 times.
        histogram.Observe(1);
        histogram.Observe(2, 2);
        histogram.Observe(16, 3);
        histogram.Observe(1024, 4);

        JsonElement decoded = await DecodeHistogramAsync(registry, "gaps");

        Assert.Equal(
            [(0, 5), (5, 1)],
            decoded.GetProperty("positive_span").EnumerateArray().Select(s => (s.TryGetProperty("offset", out JsonElement o) ? o.GetInt32() : 0, s.GetProperty("length").GetInt32())));
        Assert.Equal([1L, 1, -2, 0, 3, 1], Deltas(decoded, "positive_delta"));
        Assert.False(decoded.TryGetProperty("bucket", out _), "A native-only histogram has no classic buckets to write.");
        Assert.Equal(10, Long(decoded, "sample_count"));
    }

    [Fact]
    public async Task Halving_the_resolution_keeps_every_observation()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("limited", "Limited.", new HistogramOptions { NativeBucketFactor = 1.01, NativeMaxBucketCount = 20 });
        double[] observations = [.. Enumerable.Range(0, 500).Select(i => Math.Pow(1.05, i % 250))];
        foreach (double observation in observations)
        {
            histogram.Observe(observation);
        }

        JsonElement decoded = await DecodeHistogramAsync(registry, "limited");

        List<(double UpperBound, long Count)> buckets = NativeBuckets(decoded);
        Assert.True(decoded.GetProperty("schema").GetInt32() < NativeSchemaOf(1.01), "The resolution was not lowered.");
        Assert.InRange(buckets.Count(b => b.Count != 0), 1, 20);
        Assert.Equal(observations.Length, buckets.Sum(b => b.Count));
        Assert.Equal(observations.Length, Long(decoded, "sample_count"));
        int schema = decoded.GetProperty("schema").GetInt32();
        foreach ((double upper, long count) in buckets.Where(b => b.Count != 0))
        {
            double lower = upper / Math.Pow(2, Math.Pow(2, -schema));
            Assert.Equal(observations.Count(o => o > lower * (1 + 1e-12) && o <= upper * (1 + 1e-12)), count);
        }
    }

    [Fact]
    public async Task Widening_the_zero_bucket_swallows_the_buckets_closest_to_zero()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("small", "Small values.", new HistogramOptions
        {
            NativeBucketFactor = 2,
            NativeMaxBucketCount = 4,
            NativeMaxZeroThreshold = 0.1,
        });
        double[] observations = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 2, 4, 1e-6, 3e-3];
        foreach (double observation in observations)
        {
            histogram.Observe(observation);
        }

        JsonElement decoded = await DecodeHistogramAsync(registry, "small");

        double threshold = Number(decoded.GetProperty("zero_threshold"));
        Assert.InRange(threshold, 1e-6, 0.1);
        Assert.Equal(0, decoded.GetProperty("schema").GetInt32());
        Assert.Equal(observations.Count(o => o <= threshold), Long(decoded, "zero_count"));
        Assert.Equal(observations.Count(o => o > threshold), NativeBuckets(decoded).Sum(b => b.Count));
        Assert.InRange(NativeBuckets(decoded).Count(b => b.Count != 0), 1, 4);
    }

    [Fact]
    public async Task Past_the_minimum_reset_duration_the_limit_resets_the_series_and_its_start_time()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("resetting", "Resets.", new HistogramOptions
        {
            Buckets = [1],
            NativeBucketFactor = 2,
            NativeMaxBucketCount = 3,
            NativeMinResetDuration = TimeSpan.FromMilliseconds(50),
        });
        histogram.Observe(1);
        histogram.Observe(2);
        histogram.Observe(4);
        JsonElement before = await DecodeHistogramAsync(registry, "resetting");
        await Task.Delay(120);

        // A fourth bucket after the minimum duration: the series starts over with just this observation.
        histogram.Observe(8);
        JsonElement after = await DecodeHistogramAsync(registry, "resetting");

        Assert.Equal(3, Long(before, "sample_count"));
        Assert.Equal(1, Long(after, "sample_count"));
        Assert.Equal(8, Number(after.GetProperty("sample_sum")));
        Assert.Equal([(8.0, 1L)], NativeBuckets(after).Where(b => b.Count != 0));
        Assert.Equal(0, Number(after.GetProperty("bucket")[0].GetProperty("cumulative_count")));
        Assert.True(
            Long(after.GetProperty("start_timestamp"), "seconds") * 1_000_000_000L + Long(after.GetProperty("start_timestamp"), "nanos")
            > Long(before.GetProperty("start_timestamp"), "seconds") * 1_000_000_000L + Long(before.GetProperty("start_timestamp"), "nanos"),
            "The start timestamp did not move to the reset.");
    }

    [Fact]
    public async Task A_lowered_resolution_is_restored_by_the_scheduled_reset()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("restored", "Restored.", new HistogramOptions
        {
            NativeBucketFactor = 2,
            NativeMaxBucketCount = 3,
            NativeMinResetDuration = TimeSpan.FromMilliseconds(300),
        });
        foreach (double observation in new double[] { 1, 2, 4, 8, 16 })
        {
            histogram.Observe(observation);
        }

        JsonElement lowered = await DecodeHistogramAsync(registry, "restored");
        await Task.Delay(400);
        JsonElement restored = await DecodeHistogramAsync(registry, "restored");

        Assert.True(lowered.GetProperty("schema").GetInt32() < 0, "The resolution was not lowered.");
        Assert.Equal(5, Long(lowered, "sample_count"));
        Assert.Equal(0, restored.TryGetProperty("schema", out JsonElement schema) ? schema.GetInt32() : 0);
        Assert.Equal(0, Long(restored, "sample_count"));
    }

    [Fact]
    public async Task Every_scrape_under_writers_on_every_core_is_consistent_and_nothing_is_lost()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("busy", "Busy.", new HistogramOptions { Buckets = Classic, NativeBucketFactor = 1.1, NativeMaxBucketCount = 40 });
        using var stop = new CancellationTokenSource();
        long[] written = new long[Environment.ProcessorCount];
        Task[] writers = Enumerable.Range(0, written.Length).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                double value = random.Next(4) == 0 ? -random.NextDouble() : Math.Exp((random.NextDouble() * 16) - 10);
                histogram.Observe(random.Next(50) == 0 ? 0 : value);
                written[w]++;
            }
        })).ToArray();

        try
        {
            for (int scrape = 0; scrape < 25; scrape++)
            {
                JsonElement decoded = await DecodeHistogramAsync(registry, "busy");
                long count = Long(decoded, "sample_count");
                List<(double UpperBound, long Count)> buckets = NativeBuckets(decoded);
                Assert.Equal(count, Long(decoded, "zero_count") + buckets.Sum(b => b.Count));
                Assert.InRange(buckets.Count(b => b.Count != 0), 0, 40);
                double[] classic = decoded.GetProperty("bucket").EnumerateArray().Select(b => Number(b.GetProperty("cumulative_count"))).ToArray();
                Assert.True(classic.SequenceEqual(classic.Order()) && classic[^1] <= count, "Classic buckets disagree with the count.");

                // Text formats carry the classic part of the same kind of reading: +Inf equals _count.
                string text = Render.Text(registry);
                string inf = text.Split('\n').Single(l => l.StartsWith("busy_bucket{le=\"+Inf\"}", StringComparison.Ordinal));
                string total = text.Split('\n').Single(l => l.StartsWith("busy_count ", StringComparison.Ordinal));
                Assert.Equal(inf[(inf.LastIndexOf(' ') + 1)..], total[(total.LastIndexOf(' ') + 1)..]);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        JsonElement final = await DecodeHistogramAsync(registry, "busy");
        Assert.Equal(written.Sum(), Long(final, "sample_count"));
        Assert.Equal(written.Sum(), Long(final, "zero_count") + NativeBuckets(final).Sum(b => b.Count));
    }

    [Fact]
    public void Text_formats_carry_the_classic_part_and_the_judges_accept_it()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("mixed_seconds", "Mixed.", new HistogramOptions { Buckets = Classic, NativeBucketFactor = 1.1 }, "method");
        histogram.WithLabels("chat").Observe(0.05);
        histogram.WithLabels("chat").Observe(5, new Exemplar("trace_id", "abc"));
        registry.CreateHistogram("native_only_seconds", "Native only.", new HistogramOptions { NativeBucketFactor = 1.1 }).Observe(0.3);

        string text = Render.Text(registry);
        Assert.Contains("mixed_seconds_bucket{method=\"chat\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("native_only_seconds_bucket{le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal((0, string.Empty), ExternalValidators.PromtoolCheckMetrics(text));
        Assert.Equal(0, ExternalValidators.OpenMetricsParse(Render.OpenMetrics(registry)).ExitCode);
        Assert.Contains("# {trace_id=\"abc\"} 5 ", Render.OpenMetrics(registry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exemplars_go_into_the_classic_buckets_and_the_native_list()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("traced_seconds", "Traced.", new HistogramOptions { Buckets = Classic, NativeBucketFactor = 1.1 });
        histogram.Observe(0.05, new Exemplar("trace_id", "fast"));
        histogram.Observe(50, new Exemplar("trace_id", "slow"));

        JsonElement decoded = await DecodeHistogramAsync(registry, "traced_seconds");

        Assert.Equal(["fast", "slow"], decoded.GetProperty("exemplars").EnumerateArray().Select(e => e.GetProperty("label")[0].GetProperty("value").GetString()));
        Assert.All(decoded.GetProperty("exemplars").EnumerateArray(), e => Assert.True(e.TryGetProperty("timestamp", out _)));
        Assert.Equal("fast", decoded.GetProperty("bucket")[1].GetProperty("exemplar").GetProperty("label")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_empty_native_histogram_with_a_zero_width_zero_bucket_carries_the_no_op_span()
    {
        var registry = new MetricRegistry();
        registry.CreateHistogram("empty", "Empty.", new HistogramOptions { NativeBucketFactor = 2, NativeZeroThreshold = HistogramOptions.NativeZeroThresholdZero });

        JsonElement decoded = await DecodeHistogramAsync(registry, "empty");

        JsonElement span = Assert.Single(decoded.GetProperty("positive_span").EnumerateArray());
        Assert.False(span.TryGetProperty("length", out JsonElement length) && length.GetInt32() != 0);
        Assert.False(decoded.TryGetProperty("zero_threshold", out JsonElement threshold) && Number(threshold) != 0);
    }

    [Theory]
    [InlineData("factor", "NativeBucketFactor")]
    [InlineData("nan", "NativeBucketFactor")]
    [InlineData("threshold", "NativeZeroThreshold")]
    [InlineData("buckets", "NativeMaxBucketCount")]
    [InlineData("duration", "NativeMinResetDuration")]
    [InlineData("max threshold", "NativeMaxZeroThreshold")]
    public void Invalid_native_options_are_refused_naming_the_metric_and_the_option(string change, string option)
    {
        HistogramOptions options = change switch
        {
            "factor" => new() { NativeBucketFactor = 1 },
            "nan" => new() { NativeBucketFactor = double.NaN },
            "threshold" => new() { NativeBucketFactor = 2, NativeZeroThreshold = -0.5 },
            "buckets" => new() { NativeBucketFactor = 2, NativeMaxBucketCount = -1 },
            "duration" => new() { NativeBucketFactor = 2, NativeMinResetDuration = TimeSpan.FromSeconds(-1) },
            _ => new() { NativeBucketFactor = 2, NativeMaxZeroThreshold = double.PositiveInfinity },
        };

        var error = Assert.Throws<ArgumentException>(() => new MetricRegistry().CreateHistogram("checked_seconds", "Checked.", options));
        Assert.Contains("'checked_seconds'", error.Message, StringComparison.Ordinal);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_settings_are_part_of_the_definition()
    {
        var registry = new MetricRegistry();
        registry.CreateHistogram("defined_seconds", "Defined.", new HistogramOptions { Buckets = [1], NativeBucketFactor = 1.1 });
        Assert.Same(registry.Families[0], registry.CreateHistogram("defined_seconds", "Defined.", new HistogramOptions { Buckets = [1], NativeBucketFactor = 1.1 }));
        var error = Assert.Throws<InvalidOperationException>(() => registry.CreateHistogram("defined_seconds", "Defined.", new HistogramOptions { Buckets = [1] }));
        Assert.Contains("native buckets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observing_into_known_buckets_and_scraping_allocate_nothing()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("quiet_seconds", "Quiet.", new HistogramOptions { Buckets = Classic, NativeBucketFactor = 1.1, NativeMaxBucketCount = 160 }, "method");
        HistogramSeries series = histogram.WithLabels("chat");
        double[] values = [.. Enumerable.Range(0, 64).Select(i => Math.Exp((i / 8.0) - 6)), 0, -1];
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        ExpositionFormat[] formats = Enum.GetValues<ExpositionFormat>();

        void Work()
        {
            for (int i = 0; i < 2000; i++)
            {
                series.Observe(values[i % values.Length]);
                histogram.WithLabels("chat").Observe(values[(i * 7) % values.Length], 3);
            }

            foreach (ExpositionFormat format in formats)
            {
                buffer.ResetWrittenCount();
                registry.Write(buffer, format);
            }
        }

        Work();
        Work();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Work();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static int NativeSchemaOf(double factor) => Aria.Metrics.Cells.NativeSchema.ForFactor(factor);
}
