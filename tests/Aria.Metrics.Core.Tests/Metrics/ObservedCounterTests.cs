
namespace Aria.Metrics.Tests.Metrics;

/// <summary>A counter set from a monotonic source at scrape time, exposed exactly like a counter.</summary>
public sealed class ObservedCounterTests
{
    [Fact]
    public void It_is_exposed_as_a_counter_in_both_formats()
    {
        var registry = new MetricRegistry();
        ObservedCounter cpu = registry.CreateObservedCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        ObservedCounter collections = registry.CreateObservedCounter("dotnet_gc_collections", "Collections.", "generation");
        cpu.Set(1.25);
        collections.WithLabels("0").Set(12);

        Assert.Equal(
            """
            # HELP dotnet_gc_collections_total Collections.
            # TYPE dotnet_gc_collections_total counter
            dotnet_gc_collections_total{generation="0"} 12
            # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
            # TYPE process_cpu_seconds_total counter
            process_cpu_seconds_total 1.25

            """,
            Render.Text(registry));
        Assert.Equal(
            """
            # HELP dotnet_gc_collections Collections.
            # TYPE dotnet_gc_collections counter
            dotnet_gc_collections_total{generation="0"} 12
            # HELP process_cpu_seconds Total user and system CPU time spent in seconds.
            # TYPE process_cpu_seconds counter
            process_cpu_seconds_total 1.25
            # EOF

            """,
            Render.OpenMetrics(registry));
    }

    [Fact]
    public void A_lower_reading_is_ignored()
    {
        var counter = new MetricRegistry().CreateObservedCounter("reads_total", "Reads.");

        counter.Set(10);
        counter.Set(7);
        Assert.Equal(10, counter.Value);
        counter.Set(10.5);
        Assert.Equal(10.5, counter.Value);
        counter.Set(-0.0);
        Assert.Equal(10.5, counter.Value);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_reading_that_is_not_a_finite_non_negative_number_throws(double reading)
    {
        var counter = new MetricRegistry().CreateObservedCounter("reads_total", "Reads.");
        counter.Set(3);

        Assert.Throws<ArgumentOutOfRangeException>("value", () => counter.Set(reading));
        Assert.Equal(3, counter.Value);
    }

    [Fact]
    public void Concurrent_readings_keep_the_highest()
    {
        var counter = new MetricRegistry().CreateObservedCounter("reads_total", "Reads.");

        Parallel.For(0, 100_000, i => counter.Set(i));

        Assert.Equal(99_999, counter.Value);
    }

    [Fact]
    public void Registration_is_idempotent_and_conflicts_with_a_plain_counter_of_the_same_name()
    {
        var registry = new MetricRegistry();
        ObservedCounter first = registry.CreateObservedCounter("reads_total", "Reads.", "source");

        Assert.Same(first, registry.CreateObservedCounter("reads", "Reads.", "source"));
        Assert.Throws<InvalidOperationException>(() => registry.CreateCounter("reads_total", "Reads.", "source"));
        Assert.Throws<InvalidOperationException>(() => registry.CreateObservedCounter("reads_total", "Other help.", "source"));
        Assert.Throws<InvalidOperationException>(() => first.Set(1));
    }
}
