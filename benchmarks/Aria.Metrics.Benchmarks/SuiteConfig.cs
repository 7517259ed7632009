using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Reports;

namespace Aria.Metrics.Benchmarks;

/// <summary>The configuration of the full suite: BenchmarkDotNet's defaults, the median beside the mean, JSON and GitHub markdown exports.</summary>
internal static class SuiteConfig
{
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median)
            .AddExporter(JsonExporter.Full)
            .AddExporter(MarkdownExporter.GitHub)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
}
