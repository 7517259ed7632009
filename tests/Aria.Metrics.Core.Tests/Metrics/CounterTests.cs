namespace Aria.Metrics.Tests.Metrics;

public sealed class CounterTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void Counts_whole_and_fractional_increments()
    {
        Counter counter = _registry.CreateCounter("jobs_total", "Jobs.");
        counter.Inc();
        counter.Inc(2);
        counter.Inc(0.5);
        counter.Inc(0L);
        Assert.Equal(3.5, counter.Value);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-0.0001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Rejects_an_increment_that_is_negative_or_not_finite_naming_the_metric(double amount)
    {
        Counter counter = _registry.CreateCounter("jobs_total", "Jobs.");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(amount));
        Assert.Contains("'jobs_total'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, counter.Value);
    }

    [Fact]
    public void Rejects_a_negative_whole_increment()
    {
        Counter counter = _registry.CreateCounter("jobs_total", "Jobs.");
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-3L));
    }

    [Fact]
    public void Whole_increments_stay_exact_beyond_the_precision_of_a_double()
    {
        Counter counter = _registry.CreateCounter("bytes_total", "Bytes.");
        const long TwoTo53 = 1L << 53;
        counter.Inc(TwoTo53);
        counter.Inc();
        counter.Inc();
        counter.Inc(1.0);
        CounterSeries series = counter.WithLabels();
        Assert.Equal((TwoTo53 + 3, 0.0), series.Read());
        Assert.Contains("bytes_total 9.007199254740995e+15\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Sums_exactly_while_threads_contend_and_the_series_stripes()
    {
        Counter counter = _registry.CreateCounter("hits_total", "Hits.", "path");
        CounterSeries series = counter.WithLabels("/");
        const int Threads = 4;
        const int PerThread = 250_000;
        using var start = new Barrier(Threads);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                series.Inc();
                if ((i & 1023) == 0)
                {
                    series.Inc(0.5);
                }
            }
        });

        int fractions = Threads * ((PerThread + 1023) / 1024);
        Assert.Equal((long)Threads * PerThread, series.Read().Whole);
        Assert.Equal(fractions * 0.5, series.Read().Fraction);
    }

    [Fact]
    public void Labeled_counter_without_labels_says_how_to_reach_a_series()
    {
        Counter counter = _registry.CreateCounter("requests_total", "Requests.", "method");
        var error = Assert.Throws<InvalidOperationException>(() => counter.Inc());
        Assert.Contains("'requests_total'", error.Message, StringComparison.Ordinal);
        Assert.Contains("WithLabels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_with_or_without_total_is_the_same_counter()
    {
        Counter first = _registry.CreateCounter("events_total", "Events.");
        Counter second = _registry.CreateCounter("events_total", "Events.");
        Assert.Same(first, second);
        Counter bare = _registry.CreateCounter("things", "Things.");
        bare.Inc();
        Assert.Contains("things_total 1\n", Render.Text(_registry), StringComparison.Ordinal);
    }
}
