// Latest results, after issue 10 (the custom series index), on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10,
// BenchmarkDotNet 0.15.8 (--job short, under the exclusive CPU lock). How to run them and what the figures mean:
// docs/benchmarks.md; the OpenTelemetry figures need the retained column's per-run cleanup (issue 10).
// | Method             | InvocationCount | UnrollFactor | Categories | Mean      | Error     | StdDev    | Median    | Ratio | RatioSD | Alloc B/series | Retained B/series | Gen0      | Gen1      | Gen2      | Allocated | Alloc Ratio |
// |------------------- |---------------- |------------- |----------- |----------:|----------:|----------:|----------:|------:|--------:|---------------:|------------------:|----------:|----------:|----------:|----------:|------------:|
// | Aria_Counters      | Default         | 16           | Counter    |  96.93 ms |  80.88 ms |  4.433 ms |  95.45 ms |  0.68 |    0.05 |          299.4 |             193.9 | 2000.0000 | 1500.0000 | 1000.0000 |  28.55 MB |        0.52 |
// | PromNet_Counters   | Default         | 16           | Counter    | 143.07 ms | 165.23 ms |  9.057 ms | 146.97 ms |  1.00 |    0.08 |          573.7 |             399.9 | 3000.0000 | 2666.6667 | 1666.6667 |  54.72 MB |        1.00 |
// |                    |                 |              |            |           |           |           |           |       |         |                |                   |           |           |           |           |             |
// | OTel_Counters      | 1               | 1            | Counter    | 103.84 ms | 203.81 ms | 11.171 ms | 106.98 ms |     ? |       ? |          255.2 |             198.5 | 1000.0000 | 1000.0000 | 1000.0000 |  24.34 MB |           ? |
// |                    |                 |              |            |           |           |           |           |       |         |                |                   |           |           |           |           |             |
// | Aria_Histograms    | Default         | 16           | Histogram  | 138.78 ms | 419.95 ms | 23.019 ms | 131.30 ms |  0.62 |    0.09 |          427.5 |             321.8 | 2500.0000 | 2000.0000 | 1000.0000 |  40.76 MB |        0.53 |
// | PromNet_Histograms | Default         | 16           | Histogram  | 223.00 ms | 182.23 ms |  9.988 ms | 219.86 ms |  1.00 |    0.05 |          813.7 |             640.0 | 5000.0000 | 4666.6667 | 2000.0000 |   77.6 MB |        1.00 |
// |                    |                 |              |            |           |           |           |           |       |         |                |                   |           |           |           |           |             |
// | OTel_Histograms    | 1               | 1            | Histogram  | 211.16 ms | 293.73 ms | 16.100 ms | 212.04 ms |     ? |       ? |          639.3 |             581.5 | 5000.0000 | 4000.0000 | 2000.0000 |  60.97 MB |           ? |

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
        counter.SeriesLimit = int.MaxValue;
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
        histogram.SeriesLimit = int.MaxValue;
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
