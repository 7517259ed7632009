// Latest results, 2026-11-25, on an idle AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10.0.12,
// BenchmarkDotNet 0.15.8 (--job short). How to run them and what the figures mean: the README's Benchmarks section.
// | Method                     | Categories            | Mean       | Error      | StdDev    | Median     | Ratio | RatioSD | Gen0   | Allocated | Alloc Ratio |
// |--------------------------- |---------------------- |-----------:|-----------:|----------:|-----------:|------:|--------:|-------:|----------:|------------:|
// | Aria_Child_Inc             | Child.Inc             |  2.6388 ns |  0.4977 ns | 0.0273 ns |  2.6449 ns |  0.53 |    0.03 |      - |         - |          NA |
// | PromNet_Child_Inc          | Child.Inc             |  5.0305 ns |  6.6250 ns | 0.3631 ns |  4.8394 ns |  1.00 |    0.09 |      - |         - |          NA |
// | Aria_Counter_Inc           | Counter.Inc           |  2.3183 ns |  1.4679 ns | 0.0805 ns |  2.2925 ns |  0.49 |    0.02 |      - |         - |          NA |
// | PromNet_Counter_Inc        | Counter.Inc           |  4.7043 ns |  1.5914 ns | 0.0872 ns |  4.7057 ns |  1.00 |    0.02 |      - |         - |          NA |
// | Raw_Interlocked_Increment  | Counter.Inc           |  1.9942 ns |  0.9431 ns | 0.0517 ns |  2.0236 ns |  0.42 |    0.01 |      - |         - |          NA |
// | Aria_Gauge_Inc             | Gauge.Inc             |  4.4358 ns |  0.5855 ns | 0.0321 ns |  4.4526 ns |  0.99 |    0.02 |      - |         - |          NA |
// | PromNet_Gauge_Inc          | Gauge.Inc             |  4.4921 ns |  2.0537 ns | 0.1126 ns |  4.4811 ns |  1.00 |    0.03 |      - |         - |          NA |
// | Aria_Gauge_Set             | Gauge.Set             |  0.6784 ns |  1.7230 ns | 0.0944 ns |  0.6824 ns |  0.27 |    0.03 |      - |         - |          NA |
// | PromNet_Gauge_Set          | Gauge.Set             |  2.5100 ns |  0.0124 ns | 0.0007 ns |  2.5097 ns |  1.00 |    0.00 |      - |         - |          NA |
// | Aria_Histogram_Observe     | Histogram.Observe     |  5.3306 ns |  4.4771 ns | 0.2454 ns |  5.4167 ns |  0.61 |    0.03 |      - |         - |          NA |
// | PromNet_Histogram_Observe  | Histogram.Observe     |  8.7786 ns |  6.5115 ns | 0.3569 ns |  8.6650 ns |  1.00 |    0.05 |      - |         - |          NA |
// | Aria_WithLabels_Observe    | WithLabels(1).Observe |  9.9388 ns |  1.2754 ns | 0.0699 ns |  9.9613 ns |  0.16 |    0.00 |      - |         - |        0.00 |
// | PromNet_WithLabels_Observe | WithLabels(1).Observe | 62.6117 ns | 15.2134 ns | 0.8339 ns | 62.2073 ns |  1.00 |    0.02 | 0.0018 |      32 B |        1.00 |
// | Aria_WithLabels_Inc        | WithLabels(2).Inc     |  6.2309 ns |  3.9084 ns | 0.2142 ns |  6.1678 ns |  0.09 |    0.01 |      - |         - |        0.00 |
// | PromNet_WithLabels_Inc     | WithLabels(2).Inc     | 72.4043 ns | 79.9471 ns | 4.3822 ns | 70.3078 ns |  1.00 |    0.07 | 0.0023 |      40 B |        1.00 |

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
