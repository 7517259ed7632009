using Aria.Metrics.Catalog;
using Xunit.Abstractions;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>The whole catalog, every family with series, through the real validators: promtool and the strict OpenMetrics parser.</summary>
public sealed class ExternalValidationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_family_has_series_once_every_helper_ran()
    {
        var metrics = await ExercisedCatalogAsync();

        MetricFamily[] empty = [.. metrics.Registry.Families.Where(f => f.SeriesCount == 0)];

        Assert.Empty(empty.Select(f => f.Name));
    }

    [Fact]
    public async Task The_text_exposition_passes_promtool_without_a_single_problem()
    {
        string text = Render.Text((await ExercisedCatalogAsync()).Registry);

        (int exitCode, string problems) = ExternalValidators.PromtoolCheckMetrics(text);

        output.WriteLine(text);
        Assert.Equal(string.Empty, problems);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task The_OpenMetrics_exposition_passes_the_strict_parser()
    {
        string text = Render.OpenMetrics((await ExercisedCatalogAsync()).Registry);

        (int exitCode, string problems) = ExternalValidators.OpenMetricsParse(text);

        output.WriteLine(text);
        Assert.Equal(string.Empty, problems);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void A_fresh_catalog_passes_both_validators_too()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        Assert.Equal((0, string.Empty), ExternalValidators.PromtoolCheckMetrics(Render.Text(metrics.Registry)));
        Assert.Equal((0, string.Empty), ExternalValidators.OpenMetricsParse(Render.OpenMetrics(metrics.Registry)));
    }

    [Fact]
    public void The_validators_do_catch_problems()
    {
        // A gauge ending in _total, as the ticket's aria_scheduler_jobs_total was: promtool's linter objects.
        (int lintExit, string lint) = ExternalValidators.PromtoolCheckMetrics(
            "# HELP aria_scheduler_jobs_total Total registered scheduler jobs\n# TYPE aria_scheduler_jobs_total gauge\naria_scheduler_jobs_total 1\n");
        Assert.NotEqual(0, lintExit);
        Assert.Contains("_total", lint, StringComparison.Ordinal);

        (int parseExit, _) = ExternalValidators.OpenMetricsParse("# TYPE a counter\na_total -1\n# EOF\n");
        Assert.NotEqual(0, parseExit);
    }

    private static async Task<AriaMetrics> ExercisedCatalogAsync()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        await CatalogWorkout.ExerciseEveryHelperAsync(metrics);
        return metrics;
    }
}
