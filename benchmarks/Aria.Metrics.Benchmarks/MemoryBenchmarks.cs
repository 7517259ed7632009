// Latest results, 2026-11-25: AMD EPYC 2.60GHz, 2 vCPUs (VM), Debian 12, .NET 10.0.12 (RyuJIT x86-64-v4), BenchmarkDotNet 0.15.8 DefaultJob.
// The machine was shared with other engineers' builds for most of the run: figures are noisy; re-run on a quiet
// machine before quoting them (command and full tables: benchmarks/README-section.md).
// 100k series; Retained B/series is what the registry keeps alive (label strings excluded), Alloc B/series all garbage too.
// | Method             | Categories | Mean      | Error     | StdDev   | Median    | Ratio | RatioSD | Alloc B/series | Retained B/series | Gen0      | Gen1      | Gen2      | Allocated | Alloc Ratio |
// |------------------- |----------- |----------:|----------:|---------:|----------:|------:|--------:|---------------:|------------------:|----------:|----------:|----------:|----------:|------------:|
// | Aria_Counters      | Counter    | 272.51 ms | 15.899 ms | 46.88 ms | 278.44 ms |  2.88 |    0.62 |         1086.1 |             244.9 | 6000.0000 | 4000.0000 | 2000.0000 | 103.58 MB |        2.03 |
// | PromNet_Counters   | Counter    |  96.02 ms |  4.102 ms | 12.09 ms |  97.61 ms |  1.02 |    0.18 |          533.7 |             399.7 | 2600.0000 | 2400.0000 | 1200.0000 |   50.9 MB |        1.00 |
// | Aria_Histograms    | Histogram  | 278.58 ms | 11.520 ms | 33.24 ms | 281.48 ms |  2.01 |    0.37 |         1214.0 |             373.0 | 6000.0000 | 5000.0000 | 2000.0000 | 115.77 MB |        1.57 |
// | PromNet_Histograms | Histogram  | 141.13 ms |  6.000 ms | 17.69 ms | 144.52 ms |  1.02 |    0.19 |          773.7 |             639.5 | 4333.3333 | 4000.0000 | 1666.6667 |  73.79 MB |        1.00 |

using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// The memory cost of a series: <see cref="SeriesCount"/> labeled counter series (two labels) and as many labeled
/// histogram series (two labels, the ticket's ten buckets), each created and updated once on a fresh registry.
/// Two figures per series: "Retained B/series", what the registry keeps alive (the memory a process pays; the figure
/// the goal is about), and "Alloc B/series", everything allocated on the way, garbage included. Label value strings
/// are made beforehand and shared by both engines, so neither figure counts them.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[Config(typeof(MemoryColumns))]
public class MemoryBenchmarks
{
    public const int SeriesCount = 100_000;
    public const string CounterCategory = "Counter";
    public const string HistogramCategory = "Histogram";

    private (string Route, string Status)[] _labels = [];

    [GlobalSetup]
    public void Setup() => _labels = Workload.LabelPairs(SeriesCount);

    [BenchmarkCategory(CounterCategory), Benchmark]
    public MetricRegistry Aria_Counters()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("bench_requests_total", "Requests.", "route", "status");
        foreach ((string route, string status) in _labels)
        {
            counter.WithLabels(route, status).Inc();
        }

        return registry;
    }

    [BenchmarkCategory(CounterCategory), Benchmark(Baseline = true)]
    public Prom.CollectorRegistry PromNet_Counters()
    {
        Prom.CollectorRegistry registry = Prom.Metrics.NewCustomRegistry();
        Prom.Counter counter = Prom.Metrics.WithCustomRegistry(registry)
            .CreateCounter("bench_requests_total", "Requests.", ["route", "status"]);
        foreach ((string route, string status) in _labels)
        {
            counter.WithLabels(route, status).Inc();
        }

        return registry;
    }

    [BenchmarkCategory(HistogramCategory), Benchmark]
    public MetricRegistry Aria_Histograms()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram(
            "bench_request_duration_seconds", "Request duration.", Workload.RequestBuckets, "route", "status");
        foreach ((string route, string status) in _labels)
        {
            histogram.WithLabels(route, status).Observe(0.2);
        }

        return registry;
    }

    [BenchmarkCategory(HistogramCategory), Benchmark(Baseline = true)]
    public Prom.CollectorRegistry PromNet_Histograms()
    {
        Prom.CollectorRegistry registry = Prom.Metrics.NewCustomRegistry();
        Prom.Histogram histogram = Prom.Metrics.WithCustomRegistry(registry).CreateHistogram(
            "bench_request_duration_seconds",
            "Request duration.",
            ["route", "status"],
            new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets });
        foreach ((string route, string status) in _labels)
        {
            histogram.WithLabels(route, status).Observe(0.2);
        }

        return registry;
    }

    private sealed class MemoryColumns : ManualConfig
    {
        public MemoryColumns()
        {
            AddColumn(
                new RetainedPerSeriesColumn(SeriesCount),
                new PerSeriesColumn(PerSeriesColumn.Figure.Allocated, SeriesCount));
        }
    }
}
