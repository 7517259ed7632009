// Results: see docs/prometheus-3.md (Exemplars, cost), measured with
// dotnet run -c Release --project benchmarks/Aria.Metrics.Benchmarks -- --filter '*ExemplarBenchmarks*' --job short

using System.Diagnostics;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// What an exemplar costs on the hot path, ours against prometheus-net's in the same category: a cached counter child
/// and a histogram, without an exemplar, with an explicit trace exemplar, and with the exemplar taken from the current
/// <see cref="Activity"/> (our opt-in automatic mode; prometheus-net's default behaviour). An activity is current for
/// the whole run, so the "without" rows also show what the automatic mode costs a family that did not opt in: nothing.
/// Every benchmark repeats its call <see cref="Workload.HotLoop"/> times.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ExemplarBenchmarks
{
    public const string CounterPlain = "Inc, no exemplar";
    public const string CounterExplicit = "Inc, explicit exemplar";
    public const string CounterActivity = "Inc, exemplar from Activity";
    public const string ObservePlain = "Observe, no exemplar";
    public const string ObserveExplicit = "Observe, explicit exemplar";
    public const string ObserveActivity = "Observe, exemplar from Activity";

    private const int N = Workload.HotLoop;
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";

    private readonly double[] _observations = Workload.Observations;

    private Activity _activity = null!;
    private CounterSeries _plain = null!;
    private CounterSeries _traced = null!;
    private HistogramSeries _histogram = null!;
    private HistogramSeries _tracedHistogram = null!;

    private Prom.Counter.Child _peerPlain = null!;
    private Prom.Counter.Child _peerTraced = null!;
    private Prom.Histogram.Child _peerHistogram = null!;
    private Prom.Histogram.Child _peerTracedHistogram = null!;
    private Prom.Exemplar.LabelKey _traceKey;
    private Prom.Exemplar.LabelKey _spanKey;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry();
        _plain = registry.CreateCounter("bench_plain_total", "Plain.", "method").WithLabels("chat");
        _traced = registry.CreateCounter("bench_traced_total", "Traced.", new CounterOptions { ExemplarsFromActivity = true }, "method").WithLabels("chat");
        _histogram = registry.CreateHistogram("bench_plain_seconds", "Plain.", new HistogramOptions { Buckets = Workload.RequestBuckets }, "method").WithLabels("chat");
        _tracedHistogram = registry.CreateHistogram(
            "bench_traced_seconds", "Traced.", new HistogramOptions { Buckets = Workload.RequestBuckets, ExemplarsFromActivity = true }, "method").WithLabels("chat");

        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry());
        var noExemplars = new Prom.CounterConfiguration { ExemplarBehavior = Prom.ExemplarBehavior.NoExemplars() };
        _peerPlain = peer.CreateCounter("bench_plain_total", "Plain.", ["method"], noExemplars).WithLabels("chat");
        _peerTraced = peer.CreateCounter("bench_traced_total", "Traced.", ["method"]).WithLabels("chat");
        _peerHistogram = peer.CreateHistogram(
            "bench_plain_seconds", "Plain.", ["method"], new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets, ExemplarBehavior = Prom.ExemplarBehavior.NoExemplars() }).WithLabels("chat");
        _peerTracedHistogram = peer.CreateHistogram(
            "bench_traced_seconds", "Traced.", ["method"], new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets }).WithLabels("chat");
        _traceKey = Prom.Exemplar.Key("trace_id");
        _spanKey = Prom.Exemplar.Key("span_id");

        // Current for the rest of the run: the benchmarks run synchronously on this thread after the setup.
        _activity = new Activity("benchmark").SetIdFormat(ActivityIdFormat.W3C).Start();
    }

    [GlobalCleanup]
    public void Cleanup() => _activity.Stop();

    [BenchmarkCategory(CounterPlain), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Inc()
    {
        CounterSeries counter = _plain;
        for (int i = 0; i < N; i++)
        {
            counter.Inc();
        }
    }

    [BenchmarkCategory(CounterPlain), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Inc()
    {
        Prom.Counter.Child counter = _peerPlain;
        for (int i = 0; i < N; i++)
        {
            counter.Inc();
        }
    }

    [BenchmarkCategory(CounterExplicit), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Inc_Exemplar()
    {
        CounterSeries counter = _plain;
        for (int i = 0; i < N; i++)
        {
            counter.Inc(new Exemplar("trace_id", TraceId, "span_id", SpanId));
        }
    }

    [BenchmarkCategory(CounterExplicit), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Inc_Exemplar()
    {
        Prom.Counter.Child counter = _peerPlain;
        for (int i = 0; i < N; i++)
        {
            counter.Inc(Prom.Exemplar.From(_traceKey.WithValue(TraceId), _spanKey.WithValue(SpanId)));
        }
    }

    [BenchmarkCategory(CounterActivity), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Inc_FromActivity()
    {
        CounterSeries counter = _traced;
        for (int i = 0; i < N; i++)
        {
            counter.Inc();
        }
    }

    [BenchmarkCategory(CounterActivity), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Inc_FromActivity()
    {
        Prom.Counter.Child counter = _peerTraced;
        for (int i = 0; i < N; i++)
        {
            counter.Inc();
        }
    }

    [BenchmarkCategory(ObservePlain), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Observe()
    {
        HistogramSeries histogram = _histogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(ObservePlain), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Observe()
    {
        Prom.Histogram.Child histogram = _peerHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(ObserveExplicit), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Observe_Exemplar()
    {
        HistogramSeries histogram = _histogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15], new Exemplar("trace_id", TraceId, "span_id", SpanId));
        }
    }

    [BenchmarkCategory(ObserveExplicit), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Observe_Exemplar()
    {
        Prom.Histogram.Child histogram = _peerHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15], Prom.Exemplar.From(_traceKey.WithValue(TraceId), _spanKey.WithValue(SpanId)));
        }
    }

    [BenchmarkCategory(ObserveActivity), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Observe_FromActivity()
    {
        HistogramSeries histogram = _tracedHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(ObserveActivity), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Observe_FromActivity()
    {
        Prom.Histogram.Child histogram = _peerTracedHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }
}
