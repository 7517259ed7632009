// RESULTS-PLACEHOLDER

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
