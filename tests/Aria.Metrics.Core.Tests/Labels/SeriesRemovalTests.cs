using System.Globalization;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Tests.Labels;

/// <summary>Removing one series or all of them, and what becomes of a handle kept across the removal.</summary>
public sealed class SeriesRemovalTests
{
    private readonly MetricRegistry _registry = new();

    private static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void A_removed_series_is_no_longer_exposed_and_the_others_are_untouched()
    {
        Counter counter = _registry.CreateCounter("jobs_total", "Jobs.", "job", "status");
        counter.WithLabels("a", "ok").Inc();
        counter.WithLabels("b", "ok").Inc(2);
        counter.WithLabels("c", "ok").Inc(3);

        Assert.True(counter.Remove("b", "ok"));
        Assert.False(counter.Remove("b", "ok"));
        Assert.False(counter.Remove("zzz", "ok"));

        Assert.Equal(2, counter.SeriesCount);
        string text = Render.Text(_registry);
        Assert.Contains("jobs_total{job=\"a\",status=\"ok\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("jobs_total{job=\"c\",status=\"ok\"} 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("job=\"b\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Removal_works_on_frozen_and_pending_series_and_with_equal_strings()
    {
        Gauge gauge = _registry.CreateGauge("g", "G.", "id");
        for (int i = 0; i < 500; i++)
        {
            // Looking earlier series up again rebuilds the index now and then: some series are frozen, the last pending.
            gauge.WithLabels(Id(i)).Set(i);
            gauge.WithLabels(Id(i / 2));
        }

        for (int i = 0; i < 500; i += 2)
        {
            Assert.True(gauge.Remove(new string(Id(i).AsSpan())));
        }

        Assert.Equal(250, gauge.SeriesCount);
        string[] exposed = [.. Render.Text(_registry).Split('\n').Where(l => l.StartsWith("g{", StringComparison.Ordinal))];
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"g{{id=\"{Id((2 * i) + 1)}\"}} {Id((2 * i) + 1)}"), exposed);
    }

    [Fact]
    public void Removal_makes_room_under_the_limit()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesLimit = 3;
        counter.WithLabels("a").Inc();
        counter.WithLabels("b").Inc();
        CounterSeries overflow = counter.WithLabels("c");
        Assert.Same(counter.OverflowSeries, overflow);

        Assert.True(counter.Remove("a"));
        CounterSeries c = counter.WithLabels("c");
        Assert.NotSame(overflow, c);
        c.Inc();
        Assert.Equal(3, counter.SeriesCount);
    }

    [Fact]
    public void Clear_removes_every_series_the_overflow_series_included()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesLimit = 3;
        for (int i = 0; i < 10; i++)
        {
            counter.WithLabels(Id(i)).Inc();
        }

        counter.Clear();
        Assert.Equal(0, counter.SeriesCount);
        Assert.Null(counter.OverflowSeries);
        Assert.DoesNotContain("c_total{", Render.Text(_registry), StringComparison.Ordinal);
        counter.WithLabels("new").Inc();
        Assert.Equal(1, counter.SeriesCount);
    }

    [Fact]
    public void A_counter_handle_kept_across_removal_brings_its_series_back_on_update_with_its_value()
    {
        Counter counter = _registry.CreateCounter("tasks_total", "Tasks.", "agent");
        CounterSeries kept = counter.WithLabels("agent-7");
        kept.Inc(5);
        Assert.True(counter.Remove("agent-7"));
        Assert.DoesNotContain("agent-7", Render.Text(_registry), StringComparison.Ordinal);

        // Not updated: it stays removed, scrape after scrape.
        Assert.DoesNotContain("agent-7", Render.Text(_registry), StringComparison.Ordinal);

        kept.Inc();
        Assert.Contains("tasks_total{agent=\"agent-7\"} 6\n", Render.Text(_registry), StringComparison.Ordinal);
        Assert.Same(kept, counter.WithLabels("agent-7"));
        Assert.Equal(1, counter.SeriesCount);
    }

    [Fact]
    public void A_histogram_handle_kept_across_clear_brings_its_series_back_on_update()
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1], "route");
        HistogramSeries kept = histogram.WithLabels("/a");
        histogram.WithLabels("/b").Observe(2);
        kept.Observe(0.5);
        histogram.Clear();
        kept.Observe(0.5);
        string text = Render.OpenMetrics(_registry);
        Assert.Contains("h_seconds_count{route=\"/a\"} 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/b", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gauge_handle_comes_back_when_its_value_changes_and_not_when_set_to_the_same_value()
    {
        Gauge gauge = _registry.CreateGauge("score", "Score.", "agent");
        GaugeSeries kept = gauge.WithLabels("a");
        kept.Set(3);
        gauge.Remove("a");
        kept.Set(3);
        Assert.DoesNotContain("score{", Render.Text(_registry), StringComparison.Ordinal);
        kept.Set(4);
        Assert.Contains("score{agent=\"a\"} 4\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void WithLabels_after_removal_returns_the_old_series_while_a_handle_to_it_lives()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        CounterSeries kept = counter.WithLabels("x");
        kept.Inc(2);
        counter.Remove("x");
        Assert.Same(kept, counter.WithLabels("x"));
        Assert.Equal(1, counter.SeriesCount);
        Assert.Contains("c_total{id=\"x\"} 2\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Once_nothing_holds_a_removed_series_its_label_set_starts_afresh()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        CreateAndRemove(counter);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        CounterSeries fresh = counter.WithLabels("x");
        Assert.Equal(0, fresh.Value);
    }

    [Fact]
    public async Task An_update_through_a_handle_racing_a_removal_is_never_lost()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        CounterSeries kept = counter.WithLabels("x");
        long increments = 0;
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                kept.Inc();
                increments++;
            }
        });
        for (int i = 0; i < 200; i++)
        {
            counter.Remove("x");
            _ = Render.Text(_registry);
        }

        await stop.CancelAsync();
        await writer;

        // One scrape after the last update: the series is back, with every increment.
        kept.Inc();
        increments++;
        // Past a million increments the value is written as Go writes it (1.234567e+06), so it is compared as a number.
        const string Prefix = "c_total{id=\"x\"} ";
        string line = Assert.Single(Render.Text(_registry).Split('\n'), l => l.StartsWith(Prefix, StringComparison.Ordinal));
        Assert.Equal(increments, double.Parse(line.AsSpan(Prefix.Length), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Removal_and_clear_need_labels_and_the_right_count_of_values()
    {
        Gauge unlabeled = _registry.CreateGauge("up", "Up.");
        var error = Assert.Throws<InvalidOperationException>(() => unlabeled.Remove());
        Assert.Contains("'up' has no labels", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(unlabeled.Clear);
        Counter counter = _registry.CreateCounter("c_total", "C.", "a", "b");
        var wrong = Assert.Throws<ArgumentException>(() => counter.Remove("x"));
        Assert.Contains("'c_total'", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lookups_of_existing_series_allocate_nothing_after_thousands_of_removals()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id", "kind");
        counter.SeriesLimit = 100_000;
        string[] ids = [.. Enumerable.Range(0, 20_000).Select(Id)];
        foreach (string id in ids)
        {
            counter.WithLabels(id, "k").Inc();
        }

        for (int i = 0; i < ids.Length; i += 2)
        {
            counter.Remove(ids[i], "k");
        }

        void LookUpTheRest()
        {
            for (int i = 1; i < ids.Length; i += 2)
            {
                counter.WithLabels(ids[i], "k").Inc();
            }
        }

        LookUpTheRest();
        LookUpTheRest();
        long before = GC.GetAllocatedBytesForCurrentThread();
        LookUpTheRest();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, counter.SeriesCount);
        Assert.Equal(4, counter.WithLabels(ids[1], "k").Value);
    }

    [Fact]
    public async Task Scrapes_during_removal_and_revival_stay_valid()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [0.5], "id");
        CounterSeries[] handles = [.. Enumerable.Range(0, 50).Select(i => counter.WithLabels(Id(i)))];
        HistogramSeries[] observed = [.. Enumerable.Range(0, 50).Select(i => histogram.WithLabels(Id(i)))];
        using var stop = new CancellationTokenSource();
        Task churn = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                int i = random.Next(50);
                handles[i].Inc();
                observed[i].Observe(random.NextDouble());
                if (random.Next(4) == 0)
                {
                    counter.Remove(Id(random.Next(50)));
                    histogram.Remove(Id(random.Next(50)));
                }
            }
        });
        var bodies = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            bodies.Add(Render.OpenMetrics(_registry));
        }

        await stop.CancelAsync();
        await churn;
        ValidatorResult result = await ExternalValidators.OpenMetricsAsync(bodies);
        Assert.True(result.IsClean, result.ToString());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndRemove(Counter counter)
    {
        counter.WithLabels("x").Inc(9);
        counter.Remove("x");
    }
}
