namespace Aria.Metrics.Tests.Metrics;

public sealed class InfoTests
{
    [Fact]
    public void Writes_one_series_with_value_one_in_each_format()
    {
        var registry = new MetricRegistry();
        Info info = registry.CreateInfo("aria_build", "Build information.", "version");
        Assert.Equal(0, info.SeriesCount);
        info.Set("1.0.0");
        info.Set("2.0.0");
        Assert.Equal(["2.0.0"], info.Values);
        Assert.Equal(
            "# HELP aria_build_info Build information.\n# TYPE aria_build_info gauge\naria_build_info{version=\"2.0.0\"} 1\n",
            Render.Text(registry));
        Assert.Equal(
            "# HELP aria_build Build information.\n# TYPE aria_build info\naria_build_info{version=\"2.0.0\"} 1\n# EOF\n",
            Render.OpenMetrics(registry));
    }

    [Fact]
    public void Rejects_a_wrong_number_of_values()
    {
        Info info = new MetricRegistry().CreateInfo("aria_build_info", "Build.", "version", "engine");
        var error = Assert.Throws<ArgumentException>(() => info.Set("2.0.0"));
        Assert.Contains("'aria_build_info'", error.Message, StringComparison.Ordinal);
        Assert.Contains("version, engine", error.Message, StringComparison.Ordinal);
    }
}
