// RESULTS-PLACEHOLDER

using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// A fresh registry per invocation, one labeled counter, and <see cref="Series"/> distinct (route, status) label sets
/// each looked up and incremented once: every call creates a series. If interning is amortised linear, the time and the
/// allocation per series stay flat as the series count grows tenfold and a hundredfold.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerSeriesColumns))]
public class SeriesCreationBenchmarks
{
    private (string Route, string Status)[] _labels = [];

    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup() => _labels = Workload.LabelPairs(Series);

    [Benchmark]
    public MetricRegistry Aria_Create()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("bench_requests_total", "Requests.", "route", "status");
        foreach ((string route, string status) in _labels)
        {
            counter.WithLabels(route, status).Inc();
        }

        return registry;
    }

    [Benchmark(Baseline = true)]
    public Prom.CollectorRegistry PromNet_Create()
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

    private sealed class PerSeriesColumns : ManualConfig
    {
        public PerSeriesColumns()
        {
            AddColumn(new PerSeriesColumn(PerSeriesColumn.Figure.Time), new PerSeriesColumn(PerSeriesColumn.Figure.Allocated));
        }
    }
}
