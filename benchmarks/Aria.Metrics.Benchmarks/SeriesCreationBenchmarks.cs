// Latest results, 2026-11-25: AMD EPYC 2.60GHz, 2 vCPUs (VM), Debian 12, .NET 10.0.12 (RyuJIT x86-64-v4), BenchmarkDotNet 0.15.8 DefaultJob.
// The machine was shared with other engineers' builds for most of the run: figures are noisy; re-run on a quiet
// machine before quoting them (command and full tables: benchmarks/README-section.md).
// Time and allocation for creating Series distinct label sets on a fresh registry.
// | Method         | Series | Mean         | Error        | StdDev       | Median       | Ratio | RatioSD | ns/series | Alloc B/series | Gen0      | Gen1      | Gen2      | Allocated    | Alloc Ratio |
// |--------------- |------- |-------------:|-------------:|-------------:|-------------:|------:|--------:|----------:|---------------:|----------:|----------:|----------:|-------------:|------------:|
// | Aria_Create    | 1000   |     649.9 μs |     34.33 μs |    101.23 μs |     604.8 μs |  1.95 |    0.30 |     604.8 |         1163.6 |   69.3359 |   35.1563 |         - |   1136.29 KB |        1.96 |
// | PromNet_Create | 1000   |     332.7 μs |      6.54 μs |      5.46 μs |     333.0 μs |  1.00 |    0.02 |     333.0 |          593.2 |   52.2461 |   52.2461 |   52.2461 |    579.28 KB |        1.00 |
// | Aria_Create    | 10000  |  13,345.7 μs |    715.58 μs |  2,109.90 μs |  12,725.9 μs |  2.70 |    0.50 |    1272.6 |         1275.7 | 1062.5000 | 1062.5000 |  906.2500 |  12457.61 KB |        2.25 |
// | PromNet_Create | 10000  |   4,996.1 μs |    162.85 μs |    475.03 μs |   4,959.5 μs |  1.01 |    0.14 |     495.9 |          565.7 |  679.6875 |  679.6875 |  515.6250 |   5524.84 KB |        1.00 |
// | Aria_Create    | 100000 | 250,282.7 μs | 11,251.87 μs | 32,822.24 μs | 243,869.9 μs |  3.18 |    0.51 |    2438.7 |         1085.9 | 6000.0000 | 4000.0000 | 2000.0000 | 106046.93 KB |        2.03 |
// | PromNet_Create | 100000 |  79,186.0 μs |  2,310.84 μs |  6,704.17 μs |  80,244.8 μs |  1.01 |    0.12 |     802.4 |          533.7 | 2666.6667 | 2500.0000 | 1333.3333 |  52123.36 KB |        1.00 |

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
