// Latest results, 2026-11-25, on an idle AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10.0.12,
// BenchmarkDotNet 0.15.8 (--job short). How to run them and what the figures mean: the README's Benchmarks section.
// | Method            | Categories        | Threads | Mean       | Error      | StdDev    | Median     | Ratio | RatioSD | Mops/s/thread | Mops/s total | Busy threads | Allocated | Alloc Ratio |
// |------------------ |------------------ |-------- |-----------:|-----------:|----------:|-----------:|------:|--------:|--------------:|-------------:|-------------:|----------:|------------:|
// | Aria_Counter      | Counter.Inc       | 1       |   2.579 ns |  0.6548 ns | 0.0359 ns |   2.559 ns |  0.58 |    0.01 |         390.7 |        390.7 |         1.02 |         - |          NA |
// | PromNet_Counter   | Counter.Inc       | 1       |   4.412 ns |  0.2628 ns | 0.0144 ns |   4.418 ns |  1.00 |    0.00 |         226.3 |        226.3 |         1.02 |         - |          NA |
// | Aria_Counter      | Counter.Inc       | 2       |   5.191 ns |  2.7967 ns | 0.1533 ns |   5.234 ns |  0.09 |    0.00 |         191.1 |        382.1 |         1.84 |         - |          NA |
// | PromNet_Counter   | Counter.Inc       | 2       |  54.955 ns | 49.4835 ns | 2.7124 ns |  53.925 ns |  1.00 |    0.06 |          18.5 |         37.1 |         1.95 |         - |          NA |
// | Aria_Histogram    | Histogram.Observe | 1       |   5.338 ns |  0.2626 ns | 0.0144 ns |   5.345 ns |  0.64 |    0.01 |         187.1 |        187.1 |         1.02 |         - |          NA |
// | PromNet_Histogram | Histogram.Observe | 1       |   8.404 ns |  3.5613 ns | 0.1952 ns |   8.450 ns |  1.00 |    0.03 |         118.4 |        118.4 |         1.01 |         - |          NA |
// | Aria_Histogram    | Histogram.Observe | 2       |   9.503 ns | 23.8624 ns | 1.3080 ns |   9.133 ns |  0.05 |    0.01 |         109.5 |        219.0 |         1.79 |         - |          NA |
// | PromNet_Histogram | Histogram.Observe | 2       | 204.614 ns | 52.7110 ns | 2.8893 ns | 206.253 ns |  1.00 |    0.02 |           4.8 |          9.7 |         1.98 |         - |          NA |

using System.Diagnostics.Metrics;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// <see cref="Threads"/> threads hammering one unlabeled counter, or one histogram, each making
/// <see cref="OpsPerThread"/> updates per invocation. The time per operation is therefore the wall time for one update
/// on every thread at once: per-thread throughput is its inverse and total throughput that times the thread count,
/// shown in the two throughput columns. Within a category and thread count the ratio compares against prometheus-net;
/// OpenTelemetry (a counter and a histogram on a meter, the Prometheus exporter attached) runs beside both.
/// "Busy threads" says how many threads actually ran at once on average: a contention figure means something only
/// when it is close to <see cref="Threads"/>, which a machine busy with other work does not allow.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[Config(typeof(ThroughputColumns))]
public class ContentionBenchmarks : IDisposable
{
    public const string CounterCategory = "Counter.Inc";
    public const string HistogramCategory = "Histogram.Observe";
    public const int OpsPerThread = 1_000_000;

    private Crew? _crew;
    private string _method = string.Empty;
    private Action _ariaCounterLoop = null!;
    private Action _peerCounterLoop = null!;
    private Action _ariaHistogramLoop = null!;
    private Action _peerHistogramLoop = null!;
    private Action _otelCounterLoop = null!;
    private Action _otelHistogramLoop = null!;
    private OtelPeer? _otel;

    /// <summary>1, 2 and every processor; the same count only once on a two-core machine.</summary>
    public static IEnumerable<int> ThreadCounts => new[] { 1, 2, Environment.ProcessorCount }.Distinct().Order();

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup(Target = nameof(Aria_Counter))]
    public void SetupAriaCounter() => Setup(nameof(Aria_Counter));

    [GlobalSetup(Target = nameof(PromNet_Counter))]
    public void SetupPeerCounter() => Setup(nameof(PromNet_Counter));

    [GlobalSetup(Target = nameof(Aria_Histogram))]
    public void SetupAriaHistogram() => Setup(nameof(Aria_Histogram));

    [GlobalSetup(Target = nameof(PromNet_Histogram))]
    public void SetupPeerHistogram() => Setup(nameof(PromNet_Histogram));

    [GlobalSetup(Target = nameof(OTel_Counter))]
    public void SetupOtelCounter() => Setup(nameof(OTel_Counter));

    [GlobalSetup(Target = nameof(OTel_Histogram))]
    public void SetupOtelHistogram() => Setup(nameof(OTel_Histogram));

    private void Setup(string method)
    {
        _method = method;
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("bench_events_total", "Events.");
        Histogram histogram = registry.CreateHistogram("bench_duration_seconds", "Duration.", Workload.RequestBuckets);

        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry());
        Prom.Counter peerCounter = peer.CreateCounter("bench_events_total", "Events.");
        Prom.Histogram peerHistogram = peer.CreateHistogram(
            "bench_duration_seconds", "Duration.", new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets });

        _otel = new OtelPeer();
        Counter<long> otelCounter = _otel.Meter.CreateCounter<long>("bench_events");
        Histogram<double> otelHistogram = _otel.Meter.CreateHistogram<double>("bench_duration_seconds");

        double[] values = Workload.Observations;
        _otelCounterLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                otelCounter.Add(1);
            }
        };
        _otelHistogramLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                otelHistogram.Record(values[i & 15]);
            }
        };
        _ariaCounterLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                counter.Inc();
            }
        };
        _peerCounterLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                peerCounter.Inc();
            }
        };
        _ariaHistogramLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                histogram.Observe(values[i & 15]);
            }
        };
        _peerHistogramLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                peerHistogram.Observe(values[i & 15]);
            }
        };
        _crew = new Crew(Threads);
        BusyThreadsColumn.Clear(method, Threads);
    }

    [BenchmarkCategory(CounterCategory), Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void Aria_Counter() => _crew!.Run(_ariaCounterLoop);

    [BenchmarkCategory(CounterCategory), Benchmark(OperationsPerInvoke = OpsPerThread, Baseline = true)]
    public void PromNet_Counter() => _crew!.Run(_peerCounterLoop);

    [BenchmarkCategory(CounterCategory), Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void OTel_Counter() => _crew!.Run(_otelCounterLoop);

    [BenchmarkCategory(HistogramCategory), Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void Aria_Histogram() => _crew!.Run(_ariaHistogramLoop);

    [BenchmarkCategory(HistogramCategory), Benchmark(OperationsPerInvoke = OpsPerThread, Baseline = true)]
    public void PromNet_Histogram() => _crew!.Run(_peerHistogramLoop);

    [BenchmarkCategory(HistogramCategory), Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void OTel_Histogram() => _crew!.Run(_otelHistogramLoop);

    [GlobalCleanup]
    public void Dispose()
    {
        if (_crew is not null)
        {
            BusyThreadsColumn.Record(_method, Threads, _crew.BusyThreads);
        }

        _crew?.Dispose();
        _crew = null;
        _otel?.Dispose();
        _otel = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Adds the per-thread and total throughput columns.</summary>
    private sealed class ThroughputColumns : ManualConfig
    {
        public ThroughputColumns()
        {
            AddColumn(new ThroughputColumn(perThread: true), new ThroughputColumn(perThread: false), new BusyThreadsColumn());
        }
    }
}
