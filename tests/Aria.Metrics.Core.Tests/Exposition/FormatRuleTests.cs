namespace Aria.Metrics.Tests.Exposition;

/// <summary>The exposition rules (docs/engine.md) that differ between the two formats.</summary>
public sealed class FormatRuleTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void Help_escapes_backslash_and_newline_in_text_and_also_quotes_in_OpenMetrics()
    {
        _registry.CreateGauge("g", "A \"quoted\" back\\slash\nand a new line.");
        Assert.StartsWith("# HELP g A \"quoted\" back\\\\slash\\nand a new line.\n", Render.Text(_registry), StringComparison.Ordinal);
        Assert.StartsWith("# HELP g A \\\"quoted\\\" back\\\\slash\\nand a new line.\n", Render.OpenMetrics(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_help_text_leaves_out_the_HELP_line()
    {
        _registry.CreateGauge("g", "");
        Assert.Equal("# TYPE g gauge\ng 0\n", Render.Text(_registry));
        Assert.Equal("# TYPE g gauge\ng 0\n# EOF\n", Render.OpenMetrics(_registry));
    }

    [Fact]
    public void A_family_without_series_writes_only_its_metadata()
    {
        _registry.CreateCounter("requests_total", "Requests.", "method");
        Assert.Equal("# HELP requests_total Requests.\n# TYPE requests_total counter\n", Render.Text(_registry));
        Assert.Equal("# HELP requests Requests.\n# TYPE requests counter\n# EOF\n", Render.OpenMetrics(_registry));
    }

    [Fact]
    public void An_empty_registry_is_an_empty_text_body_and_a_bare_EOF_in_OpenMetrics()
    {
        Assert.Equal(string.Empty, Render.Text(_registry));
        Assert.Equal("# EOF\n", Render.OpenMetrics(_registry));
    }

    [Fact]
    public void Bucket_bounds_are_Go_numbers_in_text_and_canonical_in_OpenMetrics()
    {
        _registry.CreateHistogram("h_seconds", "H.", [2.5e-5, 0.001, 1, 10, 1e6]);
        string text = Render.Text(_registry);
        string openMetrics = Render.OpenMetrics(_registry);
        foreach (string le in new[] { "2.5e-05", "0.001", "1", "10", "1e+06", "+Inf" })
        {
            Assert.Contains($"h_seconds_bucket{{le=\"{le}\"}} 0\n", text, StringComparison.Ordinal);
        }

        foreach (string le in new[] { "2.5e-05", "0.001", "1.0", "10.0", "1e+06", "+Inf" })
        {
            Assert.Contains($"h_seconds_bucket{{le=\"{le}\"}} 0\n", openMetrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Values_print_as_Go_prints_them()
    {
        Gauge gauge = _registry.CreateGauge("v", "V.", "case");
        gauge.WithLabels("million").Set(1e6);
        gauge.WithLabels("big").Set(1234567);
        gauge.WithLabels("small").Set(1e-5);
        gauge.WithLabels("negative_zero").Set(-0.0);
        gauge.WithLabels("negative_inf").Set(double.NegativeInfinity);
        gauge.WithLabels("fraction").Set(0.1 + 0.2);
        string text = Render.Text(_registry);
        Assert.Contains("v{case=\"million\"} 1e+06\n", text, StringComparison.Ordinal);
        Assert.Contains("v{case=\"big\"} 1.234567e+06\n", text, StringComparison.Ordinal);
        Assert.Contains("v{case=\"small\"} 1e-05\n", text, StringComparison.Ordinal);
        Assert.Contains("v{case=\"negative_zero\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("v{case=\"negative_inf\"} -Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("v{case=\"fraction\"} 0.30000000000000004\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_line_ends_with_a_line_feed_and_none_is_blank()
    {
        _registry.CreateCounter("a_total", "A.", "x").WithLabels("line\nfeed").Inc();
        _registry.CreateHistogram("b_seconds", "B.", [1]).Observe(0.5);
        foreach (string body in new[] { Render.Text(_registry), Render.OpenMetrics(_registry) })
        {
            Assert.EndsWith("\n", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\n\n", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", body, StringComparison.Ordinal);
        }
    }
}
