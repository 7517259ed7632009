namespace Aria.Metrics.Tests.Labels;

/// <summary>Opt-in expiry: a scrape removes the series that have not changed for the configured time.</summary>
public sealed class SeriesExpiryTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly ManualClock _clock = new();
    private readonly MetricRegistry _registry;

    public SeriesExpiryTests() => _registry = new MetricRegistry(_clock);

    [Fact]
    public void Expiry_is_off_unless_asked_for()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        Assert.Null(counter.SeriesExpiry);
        counter.WithLabels("idle").Inc();
        _ = Render.Text(_registry);
        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Contains("c_total{id=\"idle\"} 1\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scrape_removes_series_unchanged_for_the_expiry_time_and_keeps_the_updated_ones()
    {
        Counter counter = _registry.CreateCounter("jobs_total", "Jobs.", "job");
        counter.SeriesExpiry = Minute;
        CounterSeries busy = counter.WithLabels("busy");
        counter.WithLabels("idle").Inc();
        busy.Inc();
        _ = Render.Text(_registry);

        for (int i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            busy.Inc();
            _ = Render.Text(_registry);
        }

        string text = Render.Text(_registry);
        Assert.Contains("jobs_total{job=\"busy\"} 4\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("idle", text, StringComparison.Ordinal);
        Assert.Equal(1, counter.SeriesCount);
    }

    [Fact]
    public void A_series_is_not_expired_before_its_time()
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1], "route");
        histogram.SeriesExpiry = Minute;
        histogram.WithLabels("/a").Observe(0.5);
        _ = Render.Text(_registry);
        _clock.Advance(Minute - TimeSpan.FromTicks(1));
        Assert.Contains("route=\"/a\"", Render.Text(_registry), StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.DoesNotContain("route=\"/a\"", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_series_comes_back_with_its_value_when_a_kept_handle_updates_it()
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1], "route");
        histogram.SeriesExpiry = Minute;
        HistogramSeries kept = histogram.WithLabels("/a");
        kept.Observe(0.5);
        _ = Render.Text(_registry);
        _clock.Advance(2 * Minute);
        Assert.DoesNotContain("/a", Render.Text(_registry), StringComparison.Ordinal);

        kept.Observe(2);
        string text = Render.OpenMetrics(_registry);
        Assert.Contains("h_seconds_count{route=\"/a\"} 2\n", text, StringComparison.Ordinal);

        // Back for a full expiry time from the scrape that saw it updated.
        _clock.Advance(Minute / 2);
        Assert.Contains("h_seconds_count{route=\"/a\"} 2\n", Render.OpenMetrics(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_gauge_expires_when_its_value_has_not_changed_even_if_it_was_set()
    {
        Gauge gauge = _registry.CreateGauge("state", "State.", "model");
        gauge.SeriesExpiry = Minute;
        GaugeSeries steady = gauge.WithLabels("steady");
        GaugeSeries moving = gauge.WithLabels("moving");
        for (int i = 0; i < 4; i++)
        {
            steady.Set(1);
            moving.Set(i);
            _ = Render.Text(_registry);
            _clock.Advance(Minute / 2);
        }

        string text = Render.Text(_registry);
        Assert.DoesNotContain("steady", text, StringComparison.Ordinal);
        Assert.Contains("state{model=\"moving\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_default_applies_unless_the_family_sets_its_own_or_turns_it_off()
    {
        _registry.DefaultSeriesExpiry = Minute;
        Counter follows = _registry.CreateCounter("follows_total", "F.", "id");
        Counter longer = _registry.CreateCounter("longer_total", "L.", "id");
        Counter never = _registry.CreateCounter("never_total", "N.", "id");
        longer.SeriesExpiry = 10 * Minute;
        never.SeriesExpiry = null;
        Assert.Equal(Minute, follows.SeriesExpiry);
        foreach (Counter counter in new[] { follows, longer, never })
        {
            counter.WithLabels("x").Inc();
        }

        _ = Render.Text(_registry);
        _clock.Advance(2 * Minute);
        string text = Render.Text(_registry);
        Assert.DoesNotContain("follows_total{", text, StringComparison.Ordinal);
        Assert.Contains("longer_total{id=\"x\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("never_total{id=\"x\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overflow_series_expires_too_and_comes_back_with_the_next_refusal()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesLimit = 2;
        counter.SeriesExpiry = Minute;
        counter.WithLabels("a").Inc();
        CounterSeries overflow = counter.WithLabels("b");
        overflow.Inc();
        _ = Render.Text(_registry);
        _clock.Advance(2 * Minute);
        Assert.DoesNotContain("c_total{", Render.Text(_registry), StringComparison.Ordinal);
        Assert.Null(counter.OverflowSeries);

        // Room again: "c" gets a series of its own, "d" is refused and the overflow series returns, with its value.
        counter.WithLabels("c").Inc();
        counter.WithLabels("d").Inc();
        string text = Render.Text(_registry);
        Assert.Contains("c_total{id=\"c\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("c_total{metrics_overflow=\"true\"} 2\n", text, StringComparison.Ordinal);
        Assert.Same(overflow, counter.OverflowSeries);
    }

    [Fact]
    public void Expiry_makes_room_under_the_limit()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesLimit = 3;
        counter.SeriesExpiry = Minute;
        counter.WithLabels("old-1").Inc();
        counter.WithLabels("old-2").Inc();
        _ = Render.Text(_registry);
        _clock.Advance(2 * Minute);
        _ = Render.Text(_registry);
        counter.WithLabels("new-1").Inc();
        counter.WithLabels("new-2").Inc();
        Assert.Null(counter.OverflowSeries);
        Assert.Equal(2, counter.SeriesCount);
    }

    [Fact]
    public void A_steady_scrape_with_expiry_on_allocates_nothing()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesExpiry = Minute;
        CounterSeries[] series = [.. Enumerable.Range(0, 100).Select(i => counter.WithLabels(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        void Scrape()
        {
            buffer.ResetWrittenCount();
            series[0].Inc();
            _registry.Write(buffer, Aria.Metrics.Exposition.ExpositionFormat.PrometheusText);
        }

        Scrape();
        Scrape();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Scrape();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void An_expiry_that_is_not_positive_is_refused(int seconds)
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => counter.SeriesExpiry = TimeSpan.FromSeconds(seconds));
        Assert.Contains("'c_total'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.DefaultSeriesExpiry = TimeSpan.FromSeconds(seconds));
    }
}
