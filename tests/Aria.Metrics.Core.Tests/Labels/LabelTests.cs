namespace Aria.Metrics.Tests.Labels;

public sealed class LabelTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void The_same_values_reach_the_same_series_whatever_the_string_instances()
    {
        Counter counter = _registry.CreateCounter("requests_total", "Requests.", "method", "status");
        CounterSeries first = counter.WithLabels("chat", "200");
        string method = new(['c', 'h', 'a', 't']);
        string status = 200.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Same(first, counter.WithLabels(method, status));
        Assert.Same(first, counter.WithLabels("chat", "200"));
        Assert.NotSame(first, counter.WithLabels("200", "chat"));
        Assert.Equal(2, counter.SeriesCount);
    }

    [Fact]
    public void Many_series_stay_reachable_through_every_refreeze()
    {
        Counter counter = _registry.CreateCounter("users_total", "Users.", "user", "shard");
        counter.SeriesLimit = 10_000;
        var created = new List<CounterSeries>();
        for (int i = 0; i < 5000; i++)
        {
            created.Add(counter.WithLabels($"user-{i}", (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (i % 97 == 0)
            {
                for (int j = 0; j <= i; j += 13)
                {
                    Assert.Same(created[j], counter.WithLabels($"user-{j}", (j % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        Assert.Equal(5000, counter.SeriesCount);
        for (int i = 0; i < 5000; i++)
        {
            Assert.Same(created[i], counter.WithLabels(created[i].LabelValues));
        }
    }

    [Fact]
    public void Concurrent_first_lookups_create_exactly_one_series_per_label_set()
    {
        Counter counter = _registry.CreateCounter("tasks_total", "Tasks.", "agent");
        counter.SeriesLimit = 10_000;
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 2000; i++)
            {
                counter.WithLabels($"agent-{i}").Inc();
            }
        });

        Assert.Equal(2000, counter.SeriesCount);
        Assert.All(Enumerable.Range(0, 2000), i => Assert.Equal(4, counter.WithLabels($"agent-{i}").Value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_wrong_count_of_values_names_the_metric_and_its_labels(int count)
    {
        string[] values = new[] { "chat", "200", "extra" }[..count];
        Counter counter = _registry.CreateCounter("requests_total", "Requests.", "method", "status");
        var error = Assert.Throws<ArgumentException>(() => counter.WithLabels(values));
        Assert.Contains("'requests_total'", error.Message, StringComparison.Ordinal);
        Assert.Contains("method, status", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, counter.SeriesCount);
    }

    [Fact]
    public void An_unlabeled_family_refuses_values()
    {
        Gauge gauge = _registry.CreateGauge("up_gauge", "Up.");
        Assert.Same(gauge.WithLabels(), gauge.WithLabels());
        var error = Assert.Throws<ArgumentException>(() => gauge.WithLabels("x"));
        Assert.Contains("'up_gauge' has no labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_value_names_the_metric_and_the_label()
    {
        Counter counter = _registry.CreateCounter("requests_total", "Requests.", "method", "status");
        var error = Assert.Throws<ArgumentException>(() => counter.WithLabels("chat", null!));
        Assert.Contains("'requests_total'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'status'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_is_refused_rather_than_written_as_a_replacement_character()
    {
        Counter counter = _registry.CreateCounter("requests_total", "Requests.", "method");
        var error = Assert.Throws<ArgumentException>(() => counter.WithLabels("a\uD800b"));
        Assert.Contains("'method'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_well_formed_string_is_a_label_value_and_is_escaped_once()
    {
        Gauge gauge = _registry.CreateGauge("odd", "Odd values.", "value");
        gauge.WithLabels("").Set(1);
        gauge.WithLabels("quote\" backslash\\ newline\n tab\t").Set(2);
        gauge.WithLabels("Grüße 😀 日本").Set(3);
        string text = Render.Text(_registry);
        Assert.Contains("odd{value=\"\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("odd{value=\"quote\\\" backslash\\\\ newline\\n tab\t\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("odd{value=\"Grüße 😀 日本\"} 3\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1abc", "must match")]
    [InlineData("a-b", "must match")]
    [InlineData("", "must match")]
    [InlineData("__reserved", "reserved")]
    [InlineData("quantile", "summaries")]
    public void Invalid_label_names_are_refused_at_registration(string label, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.CreateCounter("c_total", "C.", label));
        Assert.Contains("'c_total'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_label_names_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.CreateGauge("g", "G.", "a", "b", "a"));
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }
}
