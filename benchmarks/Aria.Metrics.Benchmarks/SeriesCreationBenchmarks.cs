// Latest results, 2026-11-25, on an idle AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10.0.12,
// BenchmarkDotNet 0.15.8 (--job short). How to run them and what the figures mean: the README's Benchmarks section.
// | Method         | Series | Mean        | Error        | StdDev      | Median      | Ratio | RatioSD | ns/series | Alloc B/series | Gen0      | Gen1      | Gen2      | Allocated   | Alloc Ratio |
// |--------------- |------- |------------:|-------------:|------------:|------------:|------:|--------:|----------:|---------------:|----------:|----------:|----------:|------------:|------------:|
// | Aria_Create    | 1000   |    176.7 μs |     17.17 μs |     0.94 μs |    176.9 μs |  0.65 |    0.02 |     176.9 |          289.0 |   17.0898 |    8.3008 |         - |   282.23 KB |        0.49 |
// | PromNet_Create | 1000   |    273.4 μs |    150.83 μs |     8.27 μs |    269.7 μs |  1.00 |    0.04 |     269.7 |          593.2 |   52.2461 |   52.2461 |   52.2461 |   579.28 KB |        1.00 |
// | Aria_Create    | 10000  |  2,417.3 μs |  1,304.34 μs |    71.50 μs |  2,398.5 μs |  0.61 |    0.06 |     239.8 |          288.7 |  246.0938 |  246.0938 |  246.0938 |  2819.07 KB |        0.51 |
// | PromNet_Create | 10000  |  4,002.5 μs |  7,761.80 μs |   425.45 μs |  3,779.0 μs |  1.01 |    0.13 |     377.9 |          565.7 |  683.5938 |  683.5938 |  515.6250 |  5524.68 KB |        1.00 |
// | Aria_Create    | 100000 | 47,626.6 μs | 51,757.42 μs | 2,837.00 μs | 47,213.1 μs |  0.67 |    0.04 |     472.1 |          280.7 | 2090.9091 | 2000.0000 | 1090.9091 | 27414.61 KB |        0.53 |
// | PromNet_Create | 100000 | 71,295.5 μs | 58,927.68 μs | 3,230.02 μs | 70,083.6 μs |  1.00 |    0.05 |     700.8 |          533.7 | 2714.2857 | 2428.5714 | 1285.7143 | 52122.33 KB |        1.00 |

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
        counter.SeriesLimit = int.MaxValue;
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
