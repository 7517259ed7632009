// Latest results, 2026-11-30, on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short --inProcess, under the exclusive CPU lock; the machine was busier than on 2026-11-25, so compare
// ratios, not nanoseconds). How to run them and what the figures mean: docs/benchmarks.md.
// | Method             | InvocationCount | UnrollFactor | Categories | Mean      | Error     | StdDev    | Median    | Ratio | RatioSD | Alloc B/series | Retained B/series | Gen0      | Gen1      | Gen2      | Allocated | Alloc Ratio |
// |------------------- |---------------- |------------- |----------- |----------:|----------:|----------:|----------:|------:|--------:|---------------:|------------------:|----------:|----------:|----------:|----------:|------------:|
// | Aria_Counters      | Default         | 16           | Counter    | 161.47 ms | 310.05 ms | 16.995 ms | 152.94 ms |  1.22 |    0.14 |          615.9 |             269.0 | 1750.0000 | 1500.0000 |  750.0000 |  58.74 MB |        1.07 |
// | PromNet_Counters   | Default         | 16           | Counter    | 132.52 ms | 208.75 ms | 11.442 ms | 129.07 ms |  1.00 |    0.10 |          573.9 |             399.9 | 3500.0000 | 3250.0000 | 1750.0000 |  54.73 MB |        1.00 |
// |                    |                 |              |            |           |           |           |           |       |         |                |                   |           |           |           |           |             |
// | OTel_Counters      | 1               | 1            | Counter    |  88.58 ms | 141.71 ms |  7.768 ms |  91.73 ms |     ? |       ? |          255.4 |               0.0 | 1000.0000 | 1000.0000 | 1000.0000 |  24.36 MB |           ? |
// |                    |                 |              |            |           |           |           |           |       |         |                |                   |           |           |           |           |             |
// | Aria_Histograms    | Default         | 16           | Histogram  | 173.97 ms | 164.07 ms |  8.993 ms | 171.40 ms |  0.92 |    0.10 |          744.0 |             397.0 | 3250.0000 | 3000.0000 | 1500.0000 |  70.96 MB |        0.91 |
// | PromNet_Histograms | Default         | 16           | Histogram  | 191.14 ms | 439.48 ms | 24.089 ms | 182.28 ms |  1.01 |    0.15 |          813.9 |             640.0 | 4666.6667 | 4333.3333 | 1666.6667 |  77.62 MB |        1.00 |
// |                    |                 |              |            |           |           |           |           |       |         |                |                   |           |           |           |           |             |
// | OTel_Histograms    | 1               | 1            | Histogram  | 205.40 ms | 434.31 ms | 23.806 ms | 216.31 ms |     ? |       ? |          639.5 |               0.0 | 5000.0000 | 4000.0000 | 2000.0000 |  60.99 MB |           ? |

using System.Diagnostics.Metrics;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// The memory cost of a series: <see cref="SeriesCount"/> labeled counter series (two labels) and as many labeled
/// histogram series (two labels, the ticket's ten buckets) on a fresh registry, each created and then reached again
/// for a second update: the steady state that a scrape target lives in (ours has frozen its lookup snapshots by then).
/// Two figures per series: "Retained B/series", what the registry keeps alive (the memory a process pays; the figure
/// the goal is about), and "Alloc B/series", everything allocated on the way, garbage included. Label value strings
/// are made beforehand and shared by the engines, so no figure counts them.
/// <para>
/// OpenTelemetry gets a cardinality limit of exactly <see cref="SeriesCount"/> (its default, 2000 per metric, would fold
/// the rest into one overflow series): it allocates its metric points for the whole limit up front, so a larger limit
/// would charge it for series it does not hold. Its provider is disposed after each measurement.
/// </para>
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
    private OtelPeer? _lastOtel;

    [GlobalSetup]
    public void Setup() => _labels = Workload.LabelPairs(SeriesCount);

    [BenchmarkCategory(CounterCategory), Benchmark]
    public MetricRegistry Aria_Counters()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("bench_requests_total", "Requests.", "route", "status");
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string route, string status) in _labels)
            {
                counter.WithLabels(route, status).Inc();
            }
        }

        return registry;
    }

    [BenchmarkCategory(CounterCategory), Benchmark(Baseline = true)]
    public Prom.CollectorRegistry PromNet_Counters()
    {
        Prom.CollectorRegistry registry = Prom.Metrics.NewCustomRegistry();
        Prom.Counter counter = Prom.Metrics.WithCustomRegistry(registry)
            .CreateCounter("bench_requests_total", "Requests.", ["route", "status"]);
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string route, string status) in _labels)
            {
                counter.WithLabels(route, status).Inc();
            }
        }

        return registry;
    }

    [BenchmarkCategory(CounterCategory), Benchmark]
    public OtelPeer OTel_Counters()
    {
        var otel = new OtelPeer(cardinalityLimit: SeriesCount);
        _lastOtel = otel;
        Counter<long> counter = otel.Meter.CreateCounter<long>("bench_requests");
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string route, string status) in _labels)
            {
                counter.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", status));
            }
        }

        return otel;
    }

    [BenchmarkCategory(HistogramCategory), Benchmark]
    public MetricRegistry Aria_Histograms()
    {
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram(
            "bench_request_duration_seconds", "Request duration.", Workload.RequestBuckets, "route", "status");
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string route, string status) in _labels)
            {
                histogram.WithLabels(route, status).Observe(0.2);
            }
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
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string route, string status) in _labels)
            {
                histogram.WithLabels(route, status).Observe(0.2);
            }
        }

        return registry;
    }

    [BenchmarkCategory(HistogramCategory), Benchmark]
    public OtelPeer OTel_Histograms()
    {
        var otel = new OtelPeer(cardinalityLimit: SeriesCount);
        _lastOtel = otel;
        Histogram<double> histogram = otel.Meter.CreateHistogram<double>("bench_request_duration_seconds");
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string route, string status) in _labels)
            {
                histogram.Record(0.2, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", status));
            }
        }

        return otel;
    }

    /// <summary>Stops the provider of the last OpenTelemetry run, which would otherwise keep listening and holding memory.</summary>
    [IterationCleanup(Targets = [nameof(OTel_Counters), nameof(OTel_Histograms)])]
    public void DisposeOtel()
    {
        _lastOtel?.Dispose();
        _lastOtel = null;
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
