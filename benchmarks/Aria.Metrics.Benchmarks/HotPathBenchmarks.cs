// Latest results, 2026-11-25: AMD EPYC 2.60GHz, 2 vCPUs (VM), Debian 12, .NET 10.0.12 (RyuJIT x86-64-v4), BenchmarkDotNet 0.15.8 DefaultJob.
// The machine was shared with other engineers' builds for most of the run: figures are noisy; re-run on a quiet
// machine before quoting them (command and full tables: benchmarks/README-section.md).
// Per call (OperationsPerInvoke = 1000). Ratio is against prometheus-net 8.2.1 in each category.
// | Method                     | Categories            | Mean       | Error     | StdDev     | Median     | Ratio | RatioSD | Gen0   | Allocated | Alloc Ratio |
// |--------------------------- |---------------------- |-----------:|----------:|-----------:|-----------:|------:|--------:|-------:|----------:|------------:|
// | Aria_Child_Inc             | Child.Inc             |  2.5704 ns | 0.0202 ns |  0.0169 ns |  2.5697 ns |  0.51 |    0.05 |      - |         - |          NA |
// | PromNet_Child_Inc          | Child.Inc             |  5.0565 ns | 0.1810 ns |  0.5307 ns |  4.9141 ns |  1.01 |    0.14 |      - |         - |          NA |
// | Aria_Counter_Inc           | Counter.Inc           |  2.9067 ns | 0.0574 ns |  0.1092 ns |  2.8971 ns |  0.58 |    0.08 |      - |         - |          NA |
// | PromNet_Counter_Inc        | Counter.Inc           |  5.0686 ns | 0.2562 ns |  0.7555 ns |  4.6725 ns |  1.02 |    0.20 |      - |         - |          NA |
// | Raw_Interlocked_Increment  | Counter.Inc           |  2.2148 ns | 0.0662 ns |  0.1942 ns |  2.2284 ns |  0.45 |    0.07 |      - |         - |          NA |
// | Aria_Gauge_Inc             | Gauge.Inc             |  4.4329 ns | 0.0410 ns |  0.0364 ns |  4.4293 ns |  1.00 |    0.02 |      - |         - |          NA |
// | PromNet_Gauge_Inc          | Gauge.Inc             |  4.4342 ns | 0.0644 ns |  0.0603 ns |  4.4455 ns |  1.00 |    0.02 |      - |         - |          NA |
// | Aria_Gauge_Set             | Gauge.Set             |  0.8169 ns | 0.0467 ns |  0.1369 ns |  0.7584 ns |  0.32 |    0.05 |      - |         - |          NA |
// | PromNet_Gauge_Set          | Gauge.Set             |  2.5562 ns | 0.0348 ns |  0.0272 ns |  2.5497 ns |  1.00 |    0.01 |      - |         - |          NA |
// | Aria_Histogram_Observe     | Histogram.Observe     |  6.3713 ns | 0.3187 ns |  0.9398 ns |  5.9058 ns |  0.72 |    0.11 |      - |         - |          NA |
// | PromNet_Histogram_Observe  | Histogram.Observe     |  8.8450 ns | 0.0350 ns |  0.0273 ns |  8.8457 ns |  1.00 |    0.00 |      - |         - |          NA |
// | Aria_WithLabels_Observe    | WithLabels(1).Observe | 11.8116 ns | 0.5327 ns |  1.5708 ns | 11.7340 ns |  0.16 |    0.03 |      - |         - |        0.00 |
// | PromNet_WithLabels_Observe | WithLabels(1).Observe | 75.3617 ns | 4.5014 ns | 13.2726 ns | 69.9918 ns |  1.03 |    0.25 | 0.0018 |      32 B |        1.00 |
// | Aria_WithLabels_Inc        | WithLabels(2).Inc     |  6.3901 ns | 0.2024 ns |  0.5873 ns |  6.2128 ns |  0.08 |    0.01 |      - |         - |        0.00 |
// | PromNet_WithLabels_Inc     | WithLabels(2).Inc     | 80.9192 ns | 3.9530 ns | 11.6555 ns | 77.7648 ns |  1.02 |    0.20 | 0.0023 |      40 B |        1.00 |

using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// The calls an instrumented request makes, ours against prometheus-net's in the same category, prometheus-net being
/// each category's baseline. Every benchmark repeats its call <see cref="Workload.HotLoop"/> times, so the figures
/// are per call. The Counter.Inc category also carries an interlocked increment on a padded field: the hardware
/// floor that a counter cannot beat.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class HotPathBenchmarks
{
    public const string CounterInc = "Counter.Inc";
    public const string ChildInc = "Child.Inc";
    public const string LabeledInc = "WithLabels(2).Inc";
    public const string GaugeSet = "Gauge.Set";
    public const string GaugeInc = "Gauge.Inc";
    public const string Observe = "Histogram.Observe";
    public const string LabeledObserve = "WithLabels(1).Observe";

    private const int N = Workload.HotLoop;

    private readonly double[] _observations = Workload.Observations;

    private Counter _counter = null!;
    private CounterSeries _child = null!;
    private Counter _labeled = null!;
    private Gauge _gauge = null!;
    private Histogram _histogram = null!;
    private Histogram _labeledHistogram = null!;

    private Prom.Counter _peerCounter = null!;
    private Prom.Counter.Child _peerChild = null!;
    private Prom.Counter _peerLabeled = null!;
    private Prom.Gauge _peerGauge = null!;
    private Prom.Histogram _peerHistogram = null!;
    private Prom.Histogram _peerLabeledHistogram = null!;

    private PaddedCell _cell;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry();
        _counter = registry.CreateCounter("bench_events_total", "Events.");
        _labeled = registry.CreateCounter("bench_requests_total", "Requests.", "method", "status");
        _child = _labeled.WithLabels("chat", "200");
        _gauge = registry.CreateGauge("bench_sessions", "Sessions.");
        _histogram = registry.CreateHistogram("bench_duration_seconds", "Duration.", Workload.RequestBuckets);
        _labeledHistogram = registry.CreateHistogram(
            "bench_request_duration_seconds", "Request duration.", Workload.RequestBuckets, "method");

        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry());
        _peerCounter = peer.CreateCounter("bench_events_total", "Events.");
        _peerLabeled = peer.CreateCounter("bench_requests_total", "Requests.", ["method", "status"]);
        _peerChild = _peerLabeled.WithLabels("chat", "200");
        _peerGauge = peer.CreateGauge("bench_sessions", "Sessions.");
        _peerHistogram = peer.CreateHistogram(
            "bench_duration_seconds", "Duration.", new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets });
        _peerLabeledHistogram = peer.CreateHistogram(
            "bench_request_duration_seconds",
            "Request duration.",
            ["method"],
            new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets });
    }

    [BenchmarkCategory(CounterInc), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Counter_Inc()
    {
        Counter counter = _counter;
        for (int i = 0; i < N; i++)
        {
            counter.Inc();
        }
    }

    [BenchmarkCategory(CounterInc), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Counter_Inc()
    {
        Prom.Counter counter = _peerCounter;
        for (int i = 0; i < N; i++)
        {
            counter.Inc();
        }
    }

    [BenchmarkCategory(CounterInc), Benchmark(OperationsPerInvoke = N)]
    public void Raw_Interlocked_Increment()
    {
        ref long cell = ref _cell.Value;
        for (int i = 0; i < N; i++)
        {
            Interlocked.Increment(ref cell);
        }
    }

    [BenchmarkCategory(ChildInc), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Child_Inc()
    {
        CounterSeries child = _child;
        for (int i = 0; i < N; i++)
        {
            child.Inc();
        }
    }

    [BenchmarkCategory(ChildInc), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Child_Inc()
    {
        Prom.Counter.Child child = _peerChild;
        for (int i = 0; i < N; i++)
        {
            child.Inc();
        }
    }

    [BenchmarkCategory(LabeledInc), Benchmark(OperationsPerInvoke = N)]
    public void Aria_WithLabels_Inc()
    {
        Counter counter = _labeled;
        for (int i = 0; i < N; i++)
        {
            counter.WithLabels("chat", "200").Inc();
        }
    }

    [BenchmarkCategory(LabeledInc), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_WithLabels_Inc()
    {
        Prom.Counter counter = _peerLabeled;
        for (int i = 0; i < N; i++)
        {
            counter.WithLabels("chat", "200").Inc();
        }
    }

    [BenchmarkCategory(GaugeSet), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Gauge_Set()
    {
        Gauge gauge = _gauge;
        for (int i = 0; i < N; i++)
        {
            gauge.Set(i);
        }
    }

    [BenchmarkCategory(GaugeSet), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Gauge_Set()
    {
        Prom.Gauge gauge = _peerGauge;
        for (int i = 0; i < N; i++)
        {
            gauge.Set(i);
        }
    }

    [BenchmarkCategory(GaugeInc), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Gauge_Inc()
    {
        Gauge gauge = _gauge;
        for (int i = 0; i < N; i++)
        {
            gauge.Inc();
        }
    }

    [BenchmarkCategory(GaugeInc), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Gauge_Inc()
    {
        Prom.Gauge gauge = _peerGauge;
        for (int i = 0; i < N; i++)
        {
            gauge.Inc();
        }
    }

    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Histogram_Observe()
    {
        Histogram histogram = _histogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Histogram_Observe()
    {
        Prom.Histogram histogram = _peerHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(LabeledObserve), Benchmark(OperationsPerInvoke = N)]
    public void Aria_WithLabels_Observe()
    {
        Histogram histogram = _labeledHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.WithLabels("chat").Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(LabeledObserve), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_WithLabels_Observe()
    {
        Prom.Histogram histogram = _peerLabeledHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.WithLabels("chat").Observe(values[i & 15]);
        }
    }
}
