namespace Aria.Metrics.Tests.Metrics;

public sealed class HistogramTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void Places_observations_in_the_first_bucket_whose_bound_is_not_below_them()
    {
        HistogramSeries series = _registry.CreateHistogram("latency_seconds", "Latency.", [1, 2, 3]).WithLabels();
        foreach (double value in new[] { -5, 0, 1, 1.5, 2, 3, 3.0001, 1e9 })
        {
            series.Observe(value);
        }

        Assert.Equal([3, 2, 1, 2], Enumerable.Range(0, 4).Select(series.ReadBucket));
        Assert.Equal(8, series.Count);
        Assert.Equal(-5 + 0 + 1 + 1.5 + 2 + 3 + 3.0001 + 1e9, series.Sum);
    }

    [Fact]
    public void Binary_search_agrees_with_a_linear_scan_for_many_buckets()
    {
        double[] bounds = Buckets.Linear(0, 1, 40);
        HistogramSeries series = _registry.CreateHistogram("wide", "Wide.", bounds).WithLabels();
        var expected = new long[bounds.Length + 1];
        for (double value = -1; value <= 41; value += 0.25)
        {
            series.Observe(value);
            int bucket = Array.FindIndex(bounds, bound => value <= bound);
            expected[bucket < 0 ? bounds.Length : bucket]++;
        }

        Assert.Equal(expected, Enumerable.Range(0, bounds.Length + 1).Select(series.ReadBucket));
    }

    [Fact]
    public void Observes_a_value_many_times_at_once()
    {
        HistogramSeries series = _registry.CreateHistogram("batch_seconds", "Batch.", [1]).WithLabels();
        series.Observe(0.5, 4);
        series.Observe(2, 0);
        Assert.Equal(4, series.Count);
        Assert.Equal(2, series.Sum);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => series.Observe(0.5, -1));
        Assert.Contains("'batch_seconds'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Rejects_observations_that_are_not_finite_so_they_never_reach_the_exposition(double value)
    {
        Histogram histogram = _registry.CreateHistogram("latency_seconds", "Latency.", [1]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => histogram.Observe(value));
        Assert.Contains("'latency_seconds'", error.Message, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_count 0\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new double[0], "at least one")]
    [InlineData(new[] { 1.0, 1.0 }, "strictly increase")]
    [InlineData(new[] { 2.0, 1.0 }, "strictly increase")]
    [InlineData(new[] { 1.0, double.NaN }, "finite")]
    [InlineData(new[] { double.NegativeInfinity, 1.0 }, "finite")]
    [InlineData(new[] { double.PositiveInfinity }, "at least one")]
    public void Rejects_invalid_bucket_layouts(double[] bounds, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.CreateHistogram("bad_seconds", "Bad.", bounds));
        Assert.Contains("'bad_seconds'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_and_drops_an_explicit_trailing_infinity()
    {
        Histogram histogram = _registry.CreateHistogram("x_seconds", "X.", [1, double.PositiveInfinity]);
        Assert.Equal([1.0], histogram.UpperBounds.ToArray());
    }

    [Fact]
    public void Uses_the_Prometheus_default_buckets_when_none_are_given()
    {
        Histogram histogram = _registry.CreateHistogram("default_seconds", "Default.");
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], histogram.UpperBounds.ToArray());
    }

    [Fact]
    public void Builds_linear_and_exponential_layouts()
    {
        Assert.Equal([1.0, 3, 5, 7], Buckets.Linear(1, 2, 4));
        Assert.Equal([0.5, 1, 2, 4], Buckets.Exponential(0.5, 2, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Linear(0, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Exponential(0, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Exponential(1, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Linear(0, 1, 0));
    }

    [Fact]
    public void Rejects_le_as_a_label_name()
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.CreateHistogram("h_seconds", "H.", "le"));
        Assert.Contains("'le'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timer_observes_the_elapsed_seconds_on_a_monotonic_clock()
    {
        Histogram histogram = _registry.CreateHistogram("work_seconds", "Work.", [0.001, 10]);
        using (histogram.StartTimer())
        {
            await Task.Delay(20);
        }

        HistogramSeries series = histogram.WithLabels();
        Assert.Equal(1, series.Count);
        Assert.InRange(series.Sum, 0.015, 10);
        Assert.Equal(0, series.ReadBucket(0));
        default(HistogramTimer).Dispose();
    }

    [Fact]
    public void Concurrent_observations_are_all_counted()
    {
        HistogramSeries series = _registry.CreateHistogram("rpc_seconds", "RPC.", [1, 2], "method").WithLabels("get");
        const int Threads = 4;
        const int PerThread = 100_000;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                series.Observe(i % 3);
            }
        });

        Assert.Equal(Threads * PerThread, series.Count);
        long perValue = Threads * (long)(PerThread / 3);
        Assert.InRange(series.ReadBucket(0), 2 * perValue, (2 * perValue) + (2 * Threads));
        Assert.Equal(Threads * (double)Enumerable.Range(0, PerThread).Sum(i => i % 3), series.Sum);
    }

    [Fact]
    public void OpenMetrics_leaves_out_sum_and_count_where_they_would_break_its_rules()
    {
        _registry.CreateHistogram("negative_bounds", "Negative bounds.", [-1, 1]).Observe(0.5);
        _registry.CreateHistogram("negative_sum", "Negative sum.", [1]).Observe(-3);
        _registry.CreateHistogram("normal", "Normal.", [1]).Observe(3);
        string openMetrics = Render.OpenMetrics(_registry);
        Assert.DoesNotContain("negative_bounds_sum", openMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("negative_bounds_count", openMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("negative_sum_sum", openMetrics, StringComparison.Ordinal);
        Assert.Contains("negative_sum_bucket{le=\"+Inf\"} 1\n", openMetrics, StringComparison.Ordinal);
        Assert.Contains("normal_sum 3\nnormal_count 1\n", openMetrics, StringComparison.Ordinal);
        string text = Render.Text(_registry);
        Assert.Contains("negative_bounds_sum 0.5\n", text, StringComparison.Ordinal);
        Assert.Contains("negative_sum_sum -3\nnegative_sum_count 1\n", text, StringComparison.Ordinal);
        Assert.Equal(0, ExternalValidators.OpenMetricsParse(openMetrics).ExitCode);
    }
}
