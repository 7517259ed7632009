namespace Aria.Metrics.Tests.Metrics;

public sealed class GaugeTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void Sets_increments_and_decrements()
    {
        Gauge gauge = _registry.CreateGauge("pool_size", "Pool size.");
        gauge.Set(10);
        gauge.Inc();
        gauge.Inc(4.5);
        gauge.Dec();
        gauge.Dec(2);
        Assert.Equal(12.5, gauge.Value);
        gauge.Dec(20);
        Assert.Equal(-7.5, gauge.Value);
    }

    [Fact]
    public void Sets_to_the_current_unix_time_in_seconds()
    {
        Gauge gauge = _registry.CreateGauge("last_run_timestamp_seconds", "Last run.");
        double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        gauge.SetToCurrentTime();
        double after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(gauge.Value, before - 0.001, after + 0.001);
    }

    [Fact]
    public void May_hold_NaN_and_infinities_but_not_move_by_NaN()
    {
        Gauge gauge = _registry.CreateGauge("ratio", "Ratio.");
        gauge.Set(double.PositiveInfinity);
        Assert.Contains("ratio +Inf\n", Render.Text(_registry), StringComparison.Ordinal);
        gauge.Set(double.NaN);
        Assert.Contains("ratio NaN\n", Render.Text(_registry), StringComparison.Ordinal);
        gauge.Set(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => gauge.Inc(double.NaN));
        Assert.Contains("'ratio'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => gauge.Dec(double.NaN));
        Assert.Equal(1, gauge.Value);
    }

    [Fact]
    public void Concurrent_increments_and_decrements_cancel_out()
    {
        GaugeSeries gauge = _registry.CreateGauge("in_progress", "In progress.", "method").WithLabels("chat");
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                gauge.Inc();
                gauge.Dec();
            }
        });
        Assert.Equal(0, gauge.Value);
    }
}
