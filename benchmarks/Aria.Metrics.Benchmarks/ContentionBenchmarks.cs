// Latest results, 2026-11-30, on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short --inProcess, under the exclusive CPU lock; the machine was busier than on 2026-11-25, so compare
// ratios, not nanoseconds). How to run them and what the figures mean: docs/benchmarks.md.
// | Method            | Categories        | Threads | Mean       | Error      | StdDev     | Median     | Ratio | RatioSD | Mops/s/thread | Mops/s total | Busy threads | Allocated | Alloc Ratio |
// |------------------ |------------------ |-------- |-----------:|-----------:|-----------:|-----------:|------:|--------:|--------------:|-------------:|-------------:|----------:|------------:|
// | Aria_Counter      | Counter.Inc       | 1       |   3.084 ns |   4.664 ns |  0.2556 ns |   3.019 ns |  0.43 |    0.03 |         331.3 |        331.3 |         1.02 |         - |          NA |
// | PromNet_Counter   | Counter.Inc       | 1       |   7.103 ns |   2.399 ns |  0.1315 ns |   7.032 ns |  1.00 |    0.02 |         142.2 |        142.2 |         0.98 |         - |          NA |
// | OTel_Counter      | Counter.Inc       | 1       |  15.800 ns |  39.338 ns |  2.1563 ns |  15.086 ns |  2.22 |    0.27 |          66.3 |         66.3 |         1.02 |         - |          NA |
// |                   |                   |         |            |            |            |            |       |         |               |              |              |           |             |
// | Aria_Counter      | Counter.Inc       | 2       |   4.505 ns |   2.765 ns |  0.1515 ns |   4.529 ns |  0.06 |    0.01 |         220.8 |        441.6 |         1.86 |         - |          NA |
// | PromNet_Counter   | Counter.Inc       | 2       |  73.096 ns | 214.955 ns | 11.7824 ns |  79.602 ns |  1.02 |    0.21 |          12.6 |         25.1 |         1.95 |         - |          NA |
// | OTel_Counter      | Counter.Inc       | 2       |  53.665 ns |  32.622 ns |  1.7881 ns |  53.462 ns |  0.75 |    0.12 |          18.7 |         37.4 |         1.92 |         - |          NA |
// |                   |                   |         |            |            |            |            |       |         |               |              |              |           |             |
// | Aria_Histogram    | Histogram.Observe | 1       |   6.505 ns |   5.765 ns |  0.3160 ns |   6.564 ns |  0.59 |    0.03 |         152.3 |        152.3 |         1.02 |         - |          NA |
// | PromNet_Histogram | Histogram.Observe | 1       |  11.059 ns |   3.800 ns |  0.2083 ns |  11.074 ns |  1.00 |    0.02 |          90.3 |         90.3 |         1.01 |         - |          NA |
// | OTel_Histogram    | Histogram.Observe | 1       |  27.001 ns |   6.550 ns |  0.3590 ns |  27.166 ns |  2.44 |    0.05 |          36.8 |         36.8 |         1.02 |         - |          NA |
// |                   |                   |         |            |            |            |            |       |         |               |              |              |           |             |
// | Aria_Histogram    | Histogram.Observe | 2       |   9.049 ns |   4.830 ns |  0.2647 ns |   8.931 ns |  0.07 |    0.00 |         112.0 |        223.9 |         1.81 |         - |          NA |
// | PromNet_Histogram | Histogram.Observe | 2       | 128.851 ns |  73.738 ns |  4.0419 ns | 129.976 ns |  1.00 |    0.04 |           7.7 |         15.4 |         1.96 |         - |          NA |
// | OTel_Histogram    | Histogram.Observe | 2       | 113.034 ns | 351.989 ns | 19.2937 ns | 107.272 ns |  0.88 |    0.13 |           9.3 |         18.6 |         1.88 |         - |          NA |

// Aria_NativeHistogram, added later (2026-11-30, --job short, out of process): 1 thread 25.2 ns (42.4 M/s), 2 threads
// 208.5 ns (9.6 M/s total, busy threads 1.97); Aria_Histogram in the same run 6.4 ns (156.9 M/s) and 10.4 ns (192.4 M/s).
// A second run: 1 thread 32.3 ns (29.1 M/s), 2 threads 190.2 ns (10.4 M/s total, busy threads 1.98).
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
    private Action _ariaNativeHistogramLoop = null!;
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

    [GlobalSetup(Target = nameof(Aria_NativeHistogram))]
    public void SetupAriaNativeHistogram() => Setup(nameof(Aria_NativeHistogram));

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
        Histogram native = registry.CreateHistogram(
            "bench_native_duration_seconds", "Duration.", new HistogramOptions { Buckets = Workload.RequestBuckets, NativeBucketFactor = 1.1, NativeMaxBucketCount = 160 });

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
        _ariaNativeHistogramLoop = () =>
        {
            for (int i = 0; i < OpsPerThread; i++)
            {
                native.Observe(values[i & 15]);
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

    /// <summary>The same observations into a histogram with native buckets beside the classic ones (not striped).</summary>
    [BenchmarkCategory(HistogramCategory), Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void Aria_NativeHistogram() => _crew!.Run(_ariaNativeHistogramLoop);

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
