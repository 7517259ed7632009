// RESULTS-PLACEHOLDER

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
