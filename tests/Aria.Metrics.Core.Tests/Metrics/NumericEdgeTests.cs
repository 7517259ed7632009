namespace Aria.Metrics.Tests.Metrics;

/// <summary>Counts never wrap negative and sums never reach an infinity, whatever the callers add.</summary>
public sealed class NumericEdgeTests
{
    private const double TwoTo63 = 9223372036854775808d;

    private readonly MetricRegistry _registry = new();

    [Fact]
    public void A_counter_past_long_MaxValue_goes_on_as_a_double_instead_of_wrapping()
    {
        Counter counter = _registry.CreateCounter("bytes_total", "Bytes.");
        counter.Inc(long.MaxValue);
        counter.Inc(1);
        Assert.Equal(TwoTo63, counter.Value);
        counter.Inc(long.MaxValue);
        counter.Inc(long.MaxValue);
        counter.Inc();
        Assert.Equal(3 * TwoTo63, counter.Value, 1e-9 * TwoTo63);
        Assert.Contains("bytes_total 2.7670116110564327e+19\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_increments_stay_exact_up_to_two_to_the_63()
    {
        Counter counter = _registry.CreateCounter("events_total", "Events.");
        counter.Inc(long.MaxValue - 10);
        for (int i = 0; i < 10; i++)
        {
            counter.Inc();
        }

        Assert.Equal((long.MaxValue, 0.0), counter.WithLabels().Read());
        Assert.Contains("events_total 9.223372036854775807e+18\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_whole_double_increments_do_not_wrap_either()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.");
        counter.Inc(9.2e18);
        counter.Inc(9.2e18);
        counter.Inc(1.0);
        Assert.Equal(18.4e18, counter.Value, 1e3);
    }

    [Fact]
    public void A_counter_saturates_at_the_largest_double_rather_than_reaching_infinity()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.");
        counter.Inc(1e308);
        counter.Inc(1e308);
        Assert.Equal(double.MaxValue, counter.Value);
        Assert.Contains("c_total 1.7976931348623157e+308\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Histogram_counts_saturate_and_the_scrape_stays_valid()
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1, 2]);
        histogram.Observe(0.5, long.MaxValue);
        histogram.Observe(0.5, 1);
        histogram.Observe(1.5, long.MaxValue);
        histogram.Observe(0.5);
        HistogramSeries series = histogram.WithLabels();
        Assert.Equal(long.MaxValue, series.Count);
        string openMetrics = Render.OpenMetrics(_registry);
        Assert.DoesNotContain(" -", openMetrics, StringComparison.Ordinal);
        Assert.Contains("h_seconds_bucket{le=\"+Inf\"} 9.223372036854775807e+18\n", openMetrics, StringComparison.Ordinal);
        Assert.Contains("h_seconds_count 9.223372036854775807e+18\n", openMetrics, StringComparison.Ordinal);
        await ExternalValidators.AssertValidOpenMetricsAsync(openMetrics);
        await ExternalValidators.AssertValidTextAsync(Render.Text(_registry));
    }

    [Fact]
    public void A_bucket_count_stays_exact_below_saturation()
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1]);
        histogram.Observe(0.5, long.MaxValue - 5);
        for (int i = 0; i < 5; i++)
        {
            histogram.Observe(0.5);
        }

        Assert.Equal(long.MaxValue, histogram.WithLabels().Count);
        Assert.Equal(long.MaxValue, histogram.WithLabels().ReadBucket(0));
    }

    [Fact]
    public async Task A_histogram_sum_stays_finite_when_finite_observations_overflow_it()
    {
        Histogram histogram = _registry.CreateHistogram("h", "H.", [1]);
        histogram.Observe(1e308);
        histogram.Observe(1e308);
        histogram.Observe(-1e308, 3);
        Assert.Equal(double.MaxValue, histogram.WithLabels().Sum);
        string openMetrics = Render.OpenMetrics(_registry);
        Assert.Contains("h_sum 1.7976931348623157e+308\n", openMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("Inf\n", openMetrics.Replace("le=\"+Inf\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        await ExternalValidators.AssertValidOpenMetricsAsync(openMetrics);
    }

    [Fact]
    public void Observing_a_value_zero_times_changes_nothing_and_many_times_counts_them_all()
    {
        Histogram histogram = _registry.CreateHistogram("h", "H.", [1]);
        histogram.Observe(0.5, 0);
        Assert.Equal(0, histogram.WithLabels().Count);
        histogram.Observe(0.5, 1_000_000_000_000);
        histogram.Observe(3, 2);
        Assert.Equal(1_000_000_000_002, histogram.WithLabels().Count);
        Assert.Equal(500_000_000_006, histogram.WithLabels().Sum);
    }
}
