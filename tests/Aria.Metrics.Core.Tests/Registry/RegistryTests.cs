namespace Aria.Metrics.Tests.Registry;

public sealed class RegistryTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void Registering_the_same_definition_again_returns_the_existing_family()
    {
        Histogram first = _registry.CreateHistogram("h_seconds", "H.", [1, 2], "a");
        Assert.Same(first, _registry.CreateHistogram("h_seconds", "H.", [1, 2], "a"));
        Assert.Single(_registry.Families);
    }

    [Theory]
    [InlineData("gauge", "is a counter, not a gauge")]
    [InlineData("help", "help text is \"C.\", not \"Other.\"")]
    [InlineData("labels", "label names are (a), not (b)")]
    public void A_conflicting_registration_says_what_differs(string change, string difference)
    {
        _registry.CreateCounter("c_total", "C.", "a");
        var error = Assert.Throws<InvalidOperationException>(() => _ = change switch
        {
            "gauge" => (MetricFamily)_registry.CreateGauge("c", "C.", "a"),
            "help" => _registry.CreateCounter("c_total", "Other.", "a"),
            _ => _registry.CreateCounter("c_total", "C.", "b"),
        });
        Assert.Contains("'c", error.Message, StringComparison.Ordinal);
        Assert.Contains(difference, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_buckets_are_a_conflict()
    {
        _registry.CreateHistogram("h_seconds", "H.", [1, 2]);
        var error = Assert.Throws<InvalidOperationException>(() => _registry.CreateHistogram("h_seconds", "H.", [1, 3]));
        Assert.Contains("buckets are [1, 2], not [1, 3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_may_not_expose_a_sample_name_another_family_writes()
    {
        _registry.CreateHistogram("rpc_seconds", "RPC.", [1]);
        var error = Assert.Throws<InvalidOperationException>(() => _registry.CreateGauge("rpc_seconds_count", "Clash."));
        Assert.Contains("'rpc_seconds_count'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'rpc_seconds'", error.Message, StringComparison.Ordinal);
        _registry.CreateCounter("jobs_total", "Jobs.");
        Assert.Throws<InvalidOperationException>(() => _registry.CreateGauge("jobs_total", "Clash."));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("a b")]
    [InlineData("__internal")]
    public void Invalid_metric_names_are_refused(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.CreateGauge(name, "Help."));
        Assert.Contains("not a valid metric name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Colons_are_valid_in_metric_names()
    {
        Assert.Equal("job:rate5m", _registry.CreateGauge("job:rate5m", "Recorded.").Name);
    }

    [Fact]
    public void Families_come_out_sorted_by_name_whatever_the_registration_order()
    {
        _registry.CreateGauge("zeta", "Z.");
        _registry.CreateCounter("alpha_total", "A.");
        _registry.CreateHistogram("mid_seconds", "M.", [1]);
        Assert.Equal(["alpha_total", "mid_seconds", "zeta"], _registry.Families.Select(f => f.Name));
        string text = Render.Text(_registry);
        Assert.True(text.IndexOf("alpha_total", StringComparison.Ordinal) < text.IndexOf("mid_seconds", StringComparison.Ordinal));
        Assert.True(text.IndexOf("mid_seconds", StringComparison.Ordinal) < text.IndexOf("zeta", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_callbacks_run_before_each_scrape()
    {
        Gauge gauge = _registry.CreateGauge("scrapes", "Scrapes seen.");
        _registry.AddCollectCallback(() => gauge.Inc());
        Assert.Contains("scrapes 1\n", Render.Text(_registry), StringComparison.Ordinal);
        Assert.Contains("scrapes 2\n", Render.OpenMetrics(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_callback_is_counted_and_reported_and_the_scrape_goes_on()
    {
        Gauge before = _registry.CreateGauge("before", "Before.");
        Gauge after = _registry.CreateGauge("after", "After.");
        var reported = new List<Exception>();
        _registry.CollectCallbackFailed += (_, exception) => reported.Add(exception);
        _registry.AddCollectCallback(() => before.Set(1));
        _registry.AddCollectCallback(() => throw new InvalidOperationException("disk gone"));
        _registry.AddCollectCallback(() => after.Set(2));

        string text = Render.Text(_registry);
        Assert.Contains("before 1\n", text, StringComparison.Ordinal);
        Assert.Contains("after 2\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_collect_callback_errors_total 1\n", text, StringComparison.Ordinal);
        Assert.Equal("disk gone", Assert.Single(reported).Message);
        Assert.Equal(1, _registry.CollectCallbackFailures);

        Assert.Contains("metrics_collect_callback_errors_total 2\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Registries_are_independent()
    {
        var other = new MetricRegistry();
        _registry.CreateCounter("shared_total", "One.").Inc();
        other.CreateCounter("shared_total", "Two.", "label");
        Assert.Equal(1, _registry.CreateCounter("shared_total", "One.").Value);
        Assert.DoesNotContain("shared_total", Render.Text(new MetricRegistry()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_counter_starts_at_zero_with_the_first_callback_and_a_throwing_subscriber_is_contained()
    {
        Assert.DoesNotContain("metrics_collect_callback_errors_total", Render.Text(_registry), StringComparison.Ordinal);
        bool fail = false;
        _registry.AddCollectCallback(() =>
        {
            if (fail)
            {
                throw new InvalidOperationException("later");
            }
        });
        Assert.Contains("metrics_collect_callback_errors_total 0\n", Render.Text(_registry), StringComparison.Ordinal);

        _registry.CollectCallbackFailed += (_, _) => throw new InvalidOperationException("the logger is broken too");
        fail = true;
        Assert.Contains("metrics_collect_callback_errors_total 1\n", Render.OpenMetrics(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_callback_cannot_be_added_when_the_failure_counter_name_is_taken()
    {
        _registry.CreateGauge("metrics_collect_callback_errors_total", "Someone else's.");
        var error = Assert.Throws<InvalidOperationException>(() => _registry.AddCollectCallback(() => { }));
        Assert.Contains("metrics_collect_callback_errors_total", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_the_registration_removes_the_callback_and_only_it()
    {
        Gauge first = _registry.CreateGauge("first", "First.");
        Gauge second = _registry.CreateGauge("second", "Second.");
        IDisposable firstRegistration = _registry.AddCollectCallback(() => first.Inc());
        _registry.AddCollectCallback(() => second.Inc());
        Render.Text(_registry);

        firstRegistration.Dispose();
        firstRegistration.Dispose();
        string text = Render.Text(_registry);
        Assert.Contains("first 1\n", text, StringComparison.Ordinal);
        Assert.Contains("second 2\n", text, StringComparison.Ordinal);
        Assert.Equal(1, _registry.CollectCallbackCount);
    }

    [Theory]
    [InlineData("counter", "x", "gauge", "x_created")]
    [InlineData("gauge", "x_created", "counter", "x")]
    [InlineData("histogram", "h", "gauge", "h_created")]
    [InlineData("gauge", "h_created", "histogram", "h")]
    [InlineData("counter", "c_total", "counter", "c_created")]
    [InlineData("observed", "o", "gauge", "o_created")]
    public void The_created_sample_OpenMetrics_writes_beside_counters_and_histograms_is_reserved(
        string firstKind, string firstName, string secondKind, string secondName)
    {
        Create(firstKind, firstName);
        var error = Assert.Throws<InvalidOperationException>(() => Create(secondKind, secondName));
        Assert.Contains("_created'", error.Message, StringComparison.Ordinal);
        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
        Assert.Single(_registry.Families);
    }

    [Fact]
    public void Names_that_only_look_alike_still_register()
    {
        _registry.CreateCounter("x", "X.");
        _registry.CreateGauge("x_create", "Near miss.");
        _registry.CreateGauge("x_created_at", "Near miss.");
        _registry.CreateHistogram("h", "H.", [1]);
        _registry.CreateGauge("h_creation", "Near miss.");
        Assert.Equal(5, _registry.Families.Count);
    }

    private MetricFamily Create(string kind, string name) => kind switch
    {
        "counter" => _registry.CreateCounter(name, "A counter."),
        "observed" => _registry.CreateObservedCounter(name, "An observed counter."),
        "histogram" => _registry.CreateHistogram(name, "A histogram.", [1]),
        _ => _registry.CreateGauge(name, "A gauge."),
    };
}
