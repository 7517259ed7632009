using System.Globalization;

namespace Aria.Metrics.Tests.Labels;

/// <summary>The series limit: new label sets past it go to one overflow series, counted and reported once.</summary>
public sealed class SeriesLimitTests
{
    private readonly MetricRegistry _registry = new();

    private static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Every_labeled_family_is_limited_to_2000_series_by_default()
    {
        Counter counter = _registry.CreateCounter("requests_total", "Requests.", "user");
        Assert.Equal(2000, _registry.DefaultSeriesLimit);
        Assert.Equal(2000, counter.SeriesLimit);
        for (int i = 0; i < 5000; i++)
        {
            counter.WithLabels(Id(i)).Inc();
        }

        Assert.Equal(2000, counter.SeriesCount);
        Assert.NotNull(counter.OverflowSeries);
        Assert.Equal(5000 - 1999, counter.OverflowSeries.Value);
    }

    [Fact]
    public void Past_the_limit_new_label_sets_share_the_overflow_series_and_totals_stay_right()
    {
        Counter counter = _registry.CreateCounter("jobs_total", "Jobs.", "job", "status");
        counter.SeriesLimit = 3;
        counter.WithLabels("a", "ok").Inc();
        counter.WithLabels("b", "ok").Inc(2);
        CounterSeries overflow = counter.WithLabels("c", "ok");
        overflow.Inc(4);
        Assert.Same(overflow, counter.WithLabels("d", "error"));
        counter.WithLabels("d", "error").Inc(8);

        // Known label sets still reach their own series.
        counter.WithLabels("a", "ok").Inc();
        Assert.Equal(2, counter.WithLabels("a", "ok").Value);
        Assert.Equal(3, counter.SeriesCount);
        Assert.True(overflow.LabelValues.IsEmpty);
        Assert.Equal(12, overflow.Value);
        string text = Render.Text(_registry);
        Assert.Contains("jobs_total{job=\"a\",status=\"ok\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("jobs_total{job=\"b\",status=\"ok\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("jobs_total{metrics_overflow=\"true\"} 12\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("job=\"c\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_lookups_are_counted_per_family_among_the_registry_metrics()
    {
        Counter first = _registry.CreateCounter("first_total", "First.", "id");
        Gauge second = _registry.CreateGauge("second", "Second.", "id");
        first.SeriesLimit = 2;
        second.SeriesLimit = 1;
        for (int i = 0; i < 10; i++)
        {
            first.WithLabels(Id(i)).Inc();
            second.WithLabels(Id(i)).Set(i);
        }

        string text = Render.OpenMetrics(_registry);
        Assert.Contains("# TYPE metrics_series_refused counter\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_series_refused_total{metric=\"first_total\"} 9\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_series_refused_total{metric=\"second\"} 10\n", text, StringComparison.Ordinal);
        Assert.Contains("second{metrics_overflow=\"true\"} 9\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_without_refusals_does_not_expose_the_refusal_counter()
    {
        _registry.CreateCounter("quiet_total", "Quiet.", "id").WithLabels("1").Inc();
        Assert.DoesNotContain("metrics_series_refused", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void The_limit_is_reported_once_per_family_until_it_is_cleared_or_changed()
    {
        var reports = new List<(string Metric, int Limit)>();
        _registry.SeriesLimitReached += (_, reached) => reports.Add((reached.Family.Name, reached.Limit));
        Counter counter = _registry.CreateCounter("users_total", "Users.", "user");
        counter.SeriesLimit = 5;
        for (int i = 0; i < 100; i++)
        {
            counter.WithLabels(Id(i)).Inc();
        }

        Assert.Equal([("users_total", 5)], reports);
        counter.Clear();
        for (int i = 0; i < 100; i++)
        {
            counter.WithLabels(Id(i)).Inc();
        }

        counter.SeriesLimit = 6;
        for (int i = 0; i < 100; i++)
        {
            counter.WithLabels(Id(i)).Inc();
        }

        Assert.Equal([("users_total", 5), ("users_total", 5), ("users_total", 6)], reports);
    }

    [Fact]
    public void A_handler_that_throws_does_not_fail_the_lookup()
    {
        _registry.SeriesLimitReached += (_, _) => throw new InvalidOperationException("handler failure");
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesLimit = 1;
        counter.WithLabels("x").Inc();
        Assert.Equal(1, counter.OverflowSeries!.Value);
    }

    [Fact]
    public void The_registry_default_applies_to_families_that_set_none_and_a_family_limit_wins()
    {
        Counter follows = _registry.CreateCounter("follows_total", "Follows.", "id");
        Counter own = _registry.CreateCounter("own_total", "Own.", "id");
        own.SeriesLimit = 4;
        for (int i = 0; i < 3; i++)
        {
            follows.WithLabels(Id(i));
        }

        _registry.DefaultSeriesLimit = 3;
        Assert.Equal(3, follows.SeriesLimit);
        Assert.Equal(4, own.SeriesLimit);
        for (int i = 0; i < 10; i++)
        {
            follows.WithLabels(Id(i)).Inc();
            own.WithLabels(Id(i)).Inc();
        }

        // Lowering a limit removes nothing: the three series stay, and new ones go to the overflow series.
        Assert.Equal(4, follows.SeriesCount);
        Assert.Equal(4, own.SeriesCount);

        // Raising it makes room at once, even for a family that had marked itself full.
        _registry.DefaultSeriesLimit = 6;
        follows.WithLabels("new").Inc();
        Assert.Equal(5, follows.SeriesCount);
        Assert.Equal(1, follows.WithLabels("new").Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_limit_below_one_is_refused_naming_the_metric(int limit)
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => counter.SeriesLimit = limit);
        Assert.Contains("'c_total'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.DefaultSeriesLimit = limit);
    }

    [Fact]
    public void A_limit_of_one_sends_everything_to_the_overflow_series()
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1, 2], "route");
        histogram.SeriesLimit = 1;
        histogram.WithLabels("/a").Observe(0.5);
        histogram.WithLabels("/b").Observe(1.5);
        Assert.Equal(1, histogram.SeriesCount);
        Assert.Equal(2, histogram.OverflowSeries!.Count);
    }

    [Fact]
    public void The_overflow_label_is_reserved()
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.CreateCounter("c_total", "C.", "metrics_overflow"));
        Assert.Contains("overflow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refusal_counter_name_is_reserved_for_the_registry()
    {
        Assert.Throws<InvalidOperationException>(() => _registry.CreateCounter("metrics_series_refused_total", "Mine."));
        Assert.Throws<InvalidOperationException>(() => _registry.CreateGauge("metrics_series_refused", "Mine."));
        var error = Assert.Throws<InvalidOperationException>(() => _registry.CreateGauge("metrics_series_refused_created", "Mine."));
        Assert.Contains("'metrics_series_refused_created'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overflow_series_of_every_type_keep_the_scrape_valid_for_both_judges()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "a", "b");
        Gauge gauge = _registry.CreateGauge("g", "G.", "a");
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [0.1, 1], "a", "b");
        ObservedCounter observed = _registry.CreateObservedCounter("o_total", "O.", "a");
        counter.SeriesLimit = 2;
        gauge.SeriesLimit = 2;
        histogram.SeriesLimit = 2;
        observed.SeriesLimit = 2;

        for (int i = 0; i < 5; i++)
        {
            counter.WithLabels(Id(i), "x").Inc();
            gauge.WithLabels(Id(i)).Set(i);
            histogram.WithLabels(Id(i), "x").Observe(i / 4.0);
            observed.WithLabels(Id(i)).Set(i);
        }

        string openMetrics = Render.OpenMetrics(_registry);
        Assert.Contains("h_seconds_bucket{metrics_overflow=\"true\",le=\"0.1\"} 0\n", openMetrics, StringComparison.Ordinal);
        Assert.Contains("h_seconds_bucket{metrics_overflow=\"true\",le=\"+Inf\"} 4\n", openMetrics, StringComparison.Ordinal);
        Assert.Contains("h_seconds_count{metrics_overflow=\"true\"} 4\n", openMetrics, StringComparison.Ordinal);
        await ExternalValidators.AssertValidOpenMetricsAsync(openMetrics);
        await ExternalValidators.AssertValidTextAsync(Render.Text(_registry));
    }

    [Fact]
    public void The_limit_holds_while_writers_on_every_core_race_to_create_series()
    {
        Counter counter = _registry.CreateCounter("raced_total", "Raced.", "id");
        counter.SeriesLimit = 100;
        int writers = Math.Max(2, Environment.ProcessorCount);
        const int PerWriter = 20_000;
        using var start = new Barrier(writers);
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerWriter; i++)
            {
                // Half the writers share label values, so lookups race with creations of the same set.
                counter.WithLabels(Id(w % 2 == 0 ? i : (w * PerWriter) + i)).Inc();
                Assert.True(counter.SeriesCount <= 100);
            }
        });

        Assert.Equal(100, counter.SeriesCount);
        double total = 0;
        int exposed = 0;
        foreach (string line in Render.Text(_registry).Split('\n'))
        {
            if (line.StartsWith("raced_total{", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                exposed++;
            }
        }

        Assert.Equal(100, exposed);
        Assert.Equal((double)writers * PerWriter, total);
    }

    [Fact]
    public void Known_label_sets_never_leak_into_the_overflow_series_while_the_table_fills_under_them()
    {
        int writers = Math.Max(2, Environment.ProcessorCount);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var registry = new MetricRegistry();
            Counter counter = registry.CreateCounter("mixed_total", "Mixed.", "id");
            counter.SeriesLimit = 64;

            // Created first, so they have room; still pending (not yet in the frozen index) when the storm fills the table.
            string[] known = [.. Enumerable.Range(0, 40).Select(i => "known-" + Id(i))];
            foreach (string id in known)
            {
                counter.WithLabels(id);
            }

            const int PerWriter = 4_000;
            using var start = new Barrier(writers);
            Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
            {
                start.SignalAndWait();
                for (int i = 0; i < PerWriter; i++)
                {
                    counter.WithLabels(new string(known[i % known.Length].AsSpan())).Inc();
                    counter.WithLabels("storm-" + Id((w * PerWriter) + i)).Inc();
                }
            });

            foreach (string id in known)
            {
                Assert.Equal((double)writers * PerWriter / known.Length, counter.WithLabels(id).Value);
            }
        }
    }

    [Fact]
    public void The_overflow_path_allocates_nothing()
    {
        Counter counter = _registry.CreateCounter("storm_total", "Storm.", "user", "route");
        Histogram histogram = _registry.CreateHistogram("storm_seconds", "Storm.", [0.1, 1], "user");
        counter.SeriesLimit = 10;
        histogram.SeriesLimit = 10;
        string[] users = [.. Enumerable.Range(0, 1000).Select(i => "user-" + Id(i))];
        string[] fresh = [.. users.Select(u => new string(u.AsSpan()))];

        void Round()
        {
            for (int i = 0; i < users.Length; i++)
            {
                counter.WithLabels(users[i], "/").Inc();
                counter.WithLabels(fresh[i], "/").Inc();
                histogram.WithLabels(users[i]).Observe(0.5);
            }
        }

        // The first round creates nine series per family, then refuses: the refusal counter is registered and the
        // limit reported, once. Every later round only looks up and refuses.
        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10, counter.SeriesCount);
        Assert.Equal(11 * 2 * (1000 - 9), counter.OverflowSeries!.Value);
    }
}
