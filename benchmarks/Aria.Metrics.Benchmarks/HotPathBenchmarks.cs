// Latest results, 2026-11-30, on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short --inProcess, under the exclusive CPU lock; neighbours still moved prometheus-net's Counter.Inc from
// 4.5 to 6.1 ns). Counter.Inc and Histogram.Observe measured again after issue 12's third pass (the contention
// sample no longer pauses a lone writer); the labeled rows are from the run before. How to run them:
// docs/benchmarks.md.
// | Method                     | Categories            | Mean      | Error      | StdDev    | Median    | Ratio | RatioSD | Gen0   | Allocated | Alloc Ratio |
// |--------------------------- |---------------------- |----------:|-----------:|----------:|----------:|------:|--------:|-------:|----------:|------------:|
// | Aria_Counter_Inc           | Counter.Inc           |  2.506 ns |  1.6672 ns | 0.0914 ns |  2.468 ns |  0.45 |    0.02 |      - |         - |          NA |
// | Aria_Counter_Inc_Striped   | Counter.Inc           |  2.544 ns |  2.1211 ns | 0.1163 ns |  2.483 ns |  0.45 |    0.02 |      - |         - |          NA |
// | PromNet_Counter_Inc        | Counter.Inc           |  5.614 ns |  3.9340 ns | 0.2156 ns |  5.558 ns |  1.00 |    0.05 |      - |         - |          NA |
// | OTel_Counter_Add           | Counter.Inc           | 11.503 ns |  1.2420 ns | 0.0681 ns | 11.479 ns |  2.05 |    0.07 |      - |         - |          NA |
// | Raw_Interlocked_Increment  | Counter.Inc           |  2.283 ns |  0.0957 ns | 0.0052 ns |  2.284 ns |  0.41 |    0.01 |      - |         - |          NA |
// |                            |                       |           |            |           |           |       |         |        |           |             |
// | Aria_Histogram_Observe     | Histogram.Observe     |  6.236 ns |  2.1299 ns | 0.1167 ns |  6.274 ns |  0.58 |    0.03 |      - |         - |          NA |
// | PromNet_Histogram_Observe  | Histogram.Observe     | 10.838 ns |  9.8359 ns | 0.5391 ns | 10.529 ns |  1.00 |    0.06 |      - |         - |          NA |
// | OTel_Histogram_Record      | Histogram.Observe     | 25.956 ns | 33.2025 ns | 1.8199 ns | 26.535 ns |  2.40 |    0.18 |      - |         - |          NA |
// | Raw_Histogram_Atomics      | Histogram.Observe     |  5.400 ns |  1.3511 ns | 0.0741 ns |  5.420 ns |  0.50 |    0.02 |      - |         - |          NA |
// |                            |                       |           |            |           |           |       |         |        |           |             |
// | Aria_WithLabels1_Inc       | WithLabels(1).Inc     |  6.681 ns |  4.8506 ns | 0.2659 ns |  6.681 ns |  0.07 |    0.00 |      - |         - |        0.00 |
// | PromNet_WithLabels1_Inc    | WithLabels(1).Inc     | 89.836 ns | 83.1738 ns | 4.5590 ns | 90.705 ns |  1.00 |    0.06 | 0.0018 |      32 B |        1.00 |
// | OTel_Add_1Tag              | WithLabels(1).Inc     | 42.315 ns | 54.1610 ns | 2.9687 ns | 41.264 ns |  0.47 |    0.04 |      - |         - |        0.00 |
// |                            |                       |           |            |           |           |       |         |        |           |             |
// | Aria_WithLabels_Observe    | WithLabels(1).Observe | 11.738 ns | 12.3255 ns | 0.6756 ns | 11.963 ns |  0.14 |    0.01 |      - |         - |        0.00 |
// | PromNet_WithLabels_Observe | WithLabels(1).Observe | 83.027 ns | 41.9046 ns | 2.2969 ns | 82.060 ns |  1.00 |    0.03 | 0.0018 |      32 B |        1.00 |
// | OTel_Record_1Tag           | WithLabels(1).Observe | 58.487 ns | 76.7649 ns | 4.2077 ns | 58.092 ns |  0.70 |    0.05 |      - |         - |        0.00 |
// |                            |                       |           |            |           |           |       |         |        |           |             |
// | Aria_WithLabels_Inc        | WithLabels(2).Inc     |  7.409 ns | 10.1460 ns | 0.5561 ns |  7.243 ns |  0.08 |    0.01 |      - |         - |        0.00 |
// | PromNet_WithLabels_Inc     | WithLabels(2).Inc     | 92.258 ns | 60.0176 ns | 3.2898 ns | 92.963 ns |  1.00 |    0.04 | 0.0023 |      40 B |        1.00 |
// | OTel_Add_2Tags             | WithLabels(2).Inc     | 71.836 ns | 91.9941 ns | 5.0425 ns | 70.050 ns |  0.78 |    0.05 |      - |         - |        0.00 |

using System.Diagnostics.Metrics;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// The calls an instrumented request makes: ours, prometheus-net's (each category's baseline) and OpenTelemetry's
/// (System.Diagnostics.Metrics instruments recorded by the SDK, with the Prometheus exporter attached as the reader:
/// see <see cref="OtelPeer"/>). OpenTelemetry has no bound series handles, so its labelled calls pass tags as
/// struct key-value pairs, its allocation-free overload. Every benchmark repeats its call <see cref="Workload.HotLoop"/>
/// times, so the figures are per call.
/// <para>
/// Two categories also carry the hardware floor that the call cannot beat, measured the same way: Counter.Inc an
/// interlocked increment on a padded field, Histogram.Observe the observation's own atomic operations (an interlocked
/// add on a bucket cell and a compare-and-swap add on a double sum cell, both padded). Counter.Inc is measured on a
/// fresh series and on one that contention has already moved onto stripes.
/// </para>
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class HotPathBenchmarks : IDisposable
{
    public const string CounterInc = "Counter.Inc";
    public const string ChildInc = "Child.Inc";
    public const string OneLabelInc = "WithLabels(1).Inc";
    public const string LabeledInc = "WithLabels(2).Inc";
    public const string GaugeSet = "Gauge.Set";
    public const string GaugeInc = "Gauge.Inc";
    public const string Observe = "Histogram.Observe";
    public const string LabeledObserve = "WithLabels(1).Observe";

    private const int N = Workload.HotLoop;

    private static readonly KeyValuePair<string, object?> MethodTag = new("method", "chat");
    private static readonly KeyValuePair<string, object?> StatusTag = new("status", "200");

    private readonly double[] _observations = Workload.Observations;

    private Counter _counter = null!;
    private Counter _stripedCounter = null!;
    private CounterSeries _child = null!;
    private Counter _oneLabel = null!;
    private Counter _labeled = null!;
    private Gauge _gauge = null!;
    private Histogram _histogram = null!;
    private Histogram _labeledHistogram = null!;

    private Prom.Counter _peerCounter = null!;
    private Prom.Counter.Child _peerChild = null!;
    private Prom.Counter _peerOneLabel = null!;
    private Prom.Counter _peerLabeled = null!;
    private Prom.Gauge _peerGauge = null!;
    private Prom.Histogram _peerHistogram = null!;
    private Prom.Histogram _peerLabeledHistogram = null!;

    private OtelPeer? _otel;
    private Counter<long> _otelCounter = null!;
    private UpDownCounter<long> _otelUpDown = null!;
    private Gauge<double> _otelGauge = null!;
    private Histogram<double> _otelHistogram = null!;

    private PaddedCell _cell;
    private PaddedCell _bucketCell;
    private PaddedCell _sumCell;

    [GlobalSetup]
    public void Setup()
    {
        // The perf gates pick the processor whose vector unit the host left alone (see Gates/HostProbeProcessor.cs).
        ProcessorAffinity.BindFromEnvironment();
        var registry = new MetricRegistry();
        _counter = registry.CreateCounter("bench_events_total", "Events.");
        _stripedCounter = registry.CreateCounter("bench_contended_events_total", "Events.");
        Contention.Stripe(_stripedCounter);
        _oneLabel = registry.CreateCounter("bench_calls_total", "Calls.", "method");
        _labeled = registry.CreateCounter("bench_requests_total", "Requests.", "method", "status");
        _child = _labeled.WithLabels("chat", "200");
        _gauge = registry.CreateGauge("bench_sessions", "Sessions.");
        _histogram = registry.CreateHistogram("bench_duration_seconds", "Duration.", Workload.RequestBuckets);
        _labeledHistogram = registry.CreateHistogram(
            "bench_request_duration_seconds", "Request duration.", Workload.RequestBuckets, "method");

        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry());
        _peerCounter = peer.CreateCounter("bench_events_total", "Events.");
        _peerOneLabel = peer.CreateCounter("bench_calls_total", "Calls.", ["method"]);
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

        _otel = new OtelPeer();
        _otelCounter = _otel.Meter.CreateCounter<long>("bench_events");
        _otelUpDown = _otel.Meter.CreateUpDownCounter<long>("bench_in_flight");
        _otelGauge = _otel.Meter.CreateGauge<double>("bench_sessions");
        _otelHistogram = _otel.Meter.CreateHistogram<double>("bench_duration_seconds");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _otel?.Dispose();
        _otel = null;
        GC.SuppressFinalize(this);
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

    [BenchmarkCategory(CounterInc), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Counter_Inc_Striped()
    {
        Counter counter = _stripedCounter;
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
    public void OTel_Counter_Add()
    {
        Counter<long> counter = _otelCounter;
        for (int i = 0; i < N; i++)
        {
            counter.Add(1);
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

    [BenchmarkCategory(OneLabelInc), Benchmark(OperationsPerInvoke = N)]
    public void Aria_WithLabels1_Inc()
    {
        Counter counter = _oneLabel;
        for (int i = 0; i < N; i++)
        {
            counter.WithLabels("chat").Inc();
        }
    }

    [BenchmarkCategory(OneLabelInc), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_WithLabels1_Inc()
    {
        Prom.Counter counter = _peerOneLabel;
        for (int i = 0; i < N; i++)
        {
            counter.WithLabels("chat").Inc();
        }
    }

    [BenchmarkCategory(OneLabelInc), Benchmark(OperationsPerInvoke = N)]
    public void OTel_Add_1Tag()
    {
        Counter<long> counter = _otelCounter;
        for (int i = 0; i < N; i++)
        {
            counter.Add(1, MethodTag);
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

    [BenchmarkCategory(LabeledInc), Benchmark(OperationsPerInvoke = N)]
    public void OTel_Add_2Tags()
    {
        Counter<long> counter = _otelCounter;
        for (int i = 0; i < N; i++)
        {
            counter.Add(1, MethodTag, StatusTag);
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

    [BenchmarkCategory(GaugeSet), Benchmark(OperationsPerInvoke = N)]
    public void OTel_Gauge_Record()
    {
        Gauge<double> gauge = _otelGauge;
        for (int i = 0; i < N; i++)
        {
            gauge.Record(i);
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

    [BenchmarkCategory(GaugeInc), Benchmark(OperationsPerInvoke = N)]
    public void OTel_UpDownCounter_Add()
    {
        UpDownCounter<long> counter = _otelUpDown;
        for (int i = 0; i < N; i++)
        {
            counter.Add(1);
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

    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N)]
    public void OTel_Histogram_Record()
    {
        Histogram<double> histogram = _otelHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Record(values[i & 15]);
        }
    }

    /// <summary>
    /// What an observation cannot do without: an interlocked add on a bucket cell and a compare-and-swap add of the
    /// value on a sum cell, on padded fields (the bucket cell fixed: choosing it is the engine's work).
    /// </summary>
    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N)]
    public void Raw_Histogram_Atomics()
    {
        ref long bucket = ref _bucketCell.Value;
        ref long sum = ref _sumCell.Value;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            Interlocked.Increment(ref bucket);
            long current = sum;
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + values[i & 15]);
            if (Interlocked.CompareExchange(ref sum, next, current) != current)
            {
                throw new InvalidOperationException("Only this thread writes the raw cells.");
            }
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

    [BenchmarkCategory(LabeledObserve), Benchmark(OperationsPerInvoke = N)]
    public void OTel_Record_1Tag()
    {
        Histogram<double> histogram = _otelHistogram;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Record(values[i & 15], MethodTag);
        }
    }
}
