// Latest results, 2026-11-25: AMD EPYC 2.60GHz, 2 vCPUs (VM), Debian 12, .NET 10.0.12 (RyuJIT x86-64-v4), BenchmarkDotNet 0.15.8 DefaultJob.
// The machine was shared with other engineers' builds for most of the run: figures are noisy; re-run on a quiet
// machine before quoting them (command and full tables: benchmarks/README-section.md).
// From a re-run of this class alone while the machine was idle (Busy threads ~1.9 of 2); in the full-suite
// run other builds held a core (Busy threads 1.5) and the 2-thread rows were meaningless.
// | Method            | Categories        | Threads | Mean       | Error     | StdDev     | Median     | Ratio | RatioSD | Mops/s/thread | Mops/s total | Busy threads | Allocated | Alloc Ratio |
// |------------------ |------------------ |-------- |-----------:|----------:|-----------:|-----------:|------:|--------:|--------------:|-------------:|-------------:|----------:|------------:|
// | Aria_Counter      | Counter.Inc       | 1       |   2.808 ns | 0.0560 ns |  0.1078 ns |   2.764 ns |  0.62 |    0.03 |         361.8 |        361.8 |         1.01 |         - |          NA |
// | PromNet_Counter   | Counter.Inc       | 1       |   4.499 ns | 0.0755 ns |  0.0669 ns |   4.469 ns |  1.00 |    0.02 |         223.8 |        223.8 |         1.01 |         - |          NA |
// | Aria_Counter      | Counter.Inc       | 2       |   3.716 ns | 0.2882 ns |  0.8497 ns |   3.163 ns |  0.07 |    0.02 |         316.2 |        632.3 |         1.86 |         - |          NA |
// | PromNet_Counter   | Counter.Inc       | 2       |  56.139 ns | 1.9196 ns |  5.4142 ns |  57.061 ns |  1.01 |    0.15 |          17.5 |         35.1 |         1.97 |         - |          NA |
// | Aria_Histogram    | Histogram.Observe | 1       |   5.665 ns | 0.0315 ns |  0.0263 ns |   5.665 ns |  0.58 |    0.01 |         176.5 |        176.5 |         1.01 |         - |          NA |
// | PromNet_Histogram | Histogram.Observe | 1       |   9.788 ns | 0.1902 ns |  0.2035 ns |   9.749 ns |  1.00 |    0.03 |         102.6 |        102.6 |         1.01 |         - |          NA |
// | Aria_Histogram    | Histogram.Observe | 2       |  12.461 ns | 0.5428 ns |  1.5574 ns |  12.762 ns |  0.12 |    0.02 |          78.4 |        156.7 |         1.85 |         - |          NA |
// | PromNet_Histogram | Histogram.Observe | 2       | 102.872 ns | 3.8967 ns | 11.2428 ns | 104.923 ns |  1.01 |    0.17 |           9.5 |         19.1 |         1.97 |         - |          NA |

using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// <see cref="Threads"/> threads hammering one unlabeled counter, or one histogram, each making
/// <see cref="OpsPerThread"/> updates per invocation. The time per operation is therefore the wall time for one update
/// on every thread at once: per-thread throughput is its inverse and total throughput that times the thread count,
/// shown in the two throughput columns. Within a category and thread count the ratio compares against prometheus-net.
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

        double[] values = Workload.Observations;
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

    [BenchmarkCategory(HistogramCategory), Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void Aria_Histogram() => _crew!.Run(_ariaHistogramLoop);

    [BenchmarkCategory(HistogramCategory), Benchmark(OperationsPerInvoke = OpsPerThread, Baseline = true)]
    public void PromNet_Histogram() => _crew!.Run(_peerHistogramLoop);

    [GlobalCleanup]
    public void Dispose()
    {
        if (_crew is not null)
        {
            BusyThreadsColumn.Record(_method, Threads, _crew.BusyThreads);
        }

        _crew?.Dispose();
        _crew = null;
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
