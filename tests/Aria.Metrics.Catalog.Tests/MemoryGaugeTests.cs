namespace Aria.Metrics.Catalog.Tests;

/// <summary>The catalog's memory gauges, read at scrape time.</summary>
public sealed class MemoryGaugeTests
{
    [Fact]
    public void The_memory_gauges_are_read_at_scrape_time()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        GC.Collect();

        _ = Render.Text(metrics.Registry);

        Assert.True(metrics.MemoryRssBytes.Value > 1024 * 1024);
        Assert.True(metrics.MemoryGcHeapBytes.Value > 0);
    }

    [LinuxFact]
    public void The_resident_set_is_the_process_collector_s_reading_of_the_same_scrape()
    {
        var registry = new MetricRegistry();
        var metrics = AriaMetrics.For(registry);

        _ = Render.Text(registry);

        ProcessMetrics? process = registry.AddProcessMetrics();
        Assert.NotNull(process);
        Assert.Equal(process.ResidentMemoryBytes.Value, metrics.MemoryRssBytes.Value);
    }
}
