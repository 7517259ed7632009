using System.Buffers;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// The hot paths and a steady-state scrape allocate nothing at all. Measured per thread, after a warm-up that
/// lets the JIT settle and the series tables freeze.
/// </summary>
public sealed class AllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void The_measure_sees_a_path_that_allocates_on_every_call()
    {
        var kept = new List<object>();

        Assert.True(SteadyStateAllocation.Of(() => kept.Add(new object())) >= 24);
    }

    [Fact]
    public void Counter_increments_allocate_nothing()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("c_total", "C.");
        CounterSeries child = registry.CreateCounter("l_total", "L.", "method", "status").WithLabels("chat", "200");
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                counter.Inc();
                counter.Inc(0.5);
                child.Inc();
            }
        }));
    }

    [Fact]
    public void Labeled_lookups_allocate_nothing_with_literal_or_equal_strings()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("requests_total", "R.", "method", "status");
        Histogram histogram = registry.CreateHistogram("duration_seconds", "D.", [0.1, 1], "method");
        string dynamicStatus = new(['5', '0', '0']);
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                counter.WithLabels("chat", "200").Inc();
                counter.WithLabels("chat", dynamicStatus).Inc();
                histogram.WithLabels("chat").Observe(0.2);
            }
        }));
    }

    [Fact]
    public void Gauge_and_histogram_updates_allocate_nothing()
    {
        var registry = new MetricRegistry();
        Gauge gauge = registry.CreateGauge("g", "G.");
        Histogram histogram = registry.CreateHistogram("h_seconds", "H.", [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                gauge.Set(i);
                gauge.Inc();
                gauge.Dec(2);
                histogram.Observe(i * 0.001);
                using (histogram.StartTimer())
                {
                }
            }
        }));
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetrics)]
    [InlineData(ExpositionFormat.Protobuf)]
    public void A_steady_state_scrape_into_a_reused_buffer_allocates_nothing(ExpositionFormat format)
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("requests_total", "Requests \"served\".", "method", "status");
        Histogram histogram = registry.CreateHistogram("duration_seconds", "Durations.", [0.1, 1, 10], "method");
        Gauge gauge = registry.CreateGauge("temperature", "Temperature.");
        registry.CreateInfo("build", "Build.", "version").Set("1.0");
        registry.AddCollectCallback(() => gauge.Set(21.5));
        for (int i = 0; i < 1000; i++)
        {
            counter.WithLabels($"m{i % 10}", $"{200 + (i % 5)}").Inc(i % 3 == 0 ? 0.25 : 1);
            histogram.WithLabels($"m{i % 10}").Observe(i / 100.0);
        }

        // Exemplars are read into stack buffers: a scrape that writes them allocates nothing either.
        counter.WithLabels("m1", "201").Inc(1, new Exemplar("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));
        histogram.WithLabels("m2").Observe(0.5, new Exemplar("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"));
        histogram.WithLabels("m2").Observe(50, new Exemplar("trace_id", "00f067aa0ba902b7"));
        registry.OpenMetricsCreatedSamples = true;

        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            buffer.ResetWrittenCount();
            registry.Write(buffer, format);
        }));
        Assert.True(buffer.WrittenCount > 1_000, $"Only {buffer.WrittenCount} bytes were written.");
    }
}
