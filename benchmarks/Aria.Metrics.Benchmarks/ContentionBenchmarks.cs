// RESULTS-PLACEHOLDER

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
