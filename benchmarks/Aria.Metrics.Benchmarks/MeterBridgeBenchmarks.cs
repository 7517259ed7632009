// Latest results, 2026-11-30, on an AMD EPYC 2.45 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short --inProcess, under the exclusive CPU lock). How to run them: docs/benchmarks.md; discussed in docs/meters.md.
// | Method                           | Categories                      | Mean       | Error      | StdDev     | Median     | Ratio | RatioSD | Allocated |
// |--------------------------------- |-------------------------------- |-----------:|-----------:|-----------:|-----------:|------:|--------:|----------:|
// | Aria_Bridge_Add_2Tags            | Counter<long>.Add(2 tags)       |   9.787 ns |   2.695 ns |  0.1477 ns |   9.730 ns |  0.20 |    0.01 |         - |
// | OTel_Add_2Tags                   | Counter<long>.Add(2 tags)       |  48.281 ns |  56.531 ns |  3.0986 ns |  48.964 ns |  1.00 |    0.08 |         - |
// | PromNet_MeterAdapter_Add_2Tags   | Counter<long>.Add(2 tags)       | 441.829 ns | 847.326 ns | 46.4448 ns | 461.329 ns |  9.18 |    0.99 |         - |
// | Floor_NoOpListener_Add_2Tags     | Counter<long>.Add(2 tags)       |   4.070 ns |   2.435 ns |  0.1335 ns |   4.011 ns |  0.08 |    0.01 |         - |
// |                                  |                                 |            |            |            |            |       |         |           |
// | Aria_Bridge_Record_1Tag          | Histogram<double>.Record(1 tag) |  15.577 ns |  10.289 ns |  0.5640 ns |  15.759 ns |  0.27 |    0.02 |         - |
// | OTel_Record_1Tag                 | Histogram<double>.Record(1 tag) |  58.278 ns |  92.684 ns |  5.0803 ns |  55.529 ns |  1.00 |    0.10 |         - |
// | PromNet_MeterAdapter_Record_1Tag | Histogram<double>.Record(1 tag) | 389.824 ns | 343.088 ns | 18.8058 ns | 382.216 ns |  6.72 |    0.56 |         - |

using System.Diagnostics.Metrics;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// The same <c>System.Diagnostics.Metrics</c> calls recorded by three listeners, each on a meter of its own: Aria's
/// bridge (<see cref="MetricRegistry.AddMeters"/>), the OpenTelemetry SDK with its Prometheus exporter attached
/// (<see cref="OtelPeer"/>, each category's baseline) and prometheus-net's meter adapter on a registry of its own. The
/// instrument call itself (the meter's fan-out to its listeners) is part of every figure. Tags are struct key-value
/// pairs, the allocation-free overloads; their series exist before the measurement starts. The floor is the meter's
/// fan-out alone, to a listener whose callback does nothing: no listener can record for less.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class MeterBridgeBenchmarks : IDisposable
{
    public const string CounterAdd = "Counter<long>.Add(2 tags)";
    public const string HistogramRecord = "Histogram<double>.Record(1 tag)";

    private const int N = Workload.HotLoop;

    private static readonly KeyValuePair<string, object?> MethodTag = new("method", "chat");
    private static readonly KeyValuePair<string, object?> StatusTag = new("status", "200");

    private readonly double[] _observations = Workload.Observations;

    private Meter? _ariaMeter;
    private IDisposable? _bridge;
    private Counter<long> _ariaCounter = null!;
    private Histogram<double> _ariaHistogram = null!;

    private OtelPeer? _otel;
    private Counter<long> _otelCounter = null!;
    private Histogram<double> _otelHistogram = null!;

    private Meter? _floorMeter;
    private MeterListener? _floorListener;
    private Counter<long> _floorCounter = null!;

    private Meter? _promMeter;
    private IDisposable? _promAdapter;
    private Counter<long> _promCounter = null!;
    private Histogram<double> _promHistogram = null!;

    [GlobalSetup]
    public void Setup()
    {
        string name = "aria.bench.bridge." + Guid.NewGuid().ToString("N");
        _ariaMeter = new Meter(name);
        _bridge = new MetricRegistry().AddMeters(name);
        _ariaCounter = _ariaMeter.CreateCounter<long>("bench.requests");
        _ariaHistogram = _ariaMeter.CreateHistogram(
            "bench.request.duration", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = Workload.RequestBuckets });

        _otel = new OtelPeer();
        _otelCounter = _otel.Meter.CreateCounter<long>("bench.requests");
        _otelHistogram = _otel.Meter.CreateHistogram<double>("bench_duration_seconds");

        string promName = "prom.bench.bridge." + Guid.NewGuid().ToString("N");
        _promMeter = new Meter(promName);
        _promAdapter = Prom.MeterAdapter.StartListening(new Prom.MeterAdapterOptions
        {
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == promName,
            Registry = Prom.Metrics.NewCustomRegistry(),
            ResolveHistogramBuckets = _ => Workload.RequestBuckets,
        });
        _promCounter = _promMeter.CreateCounter<long>("bench.requests");
        _promHistogram = _promMeter.CreateHistogram<double>("bench.request.duration", "s");

        // The floor: the meter's own fan-out to one listener whose callback does nothing.
        _floorMeter = new Meter("aria.bench.floor." + Guid.NewGuid().ToString("N"));
        _floorListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == _floorMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _floorListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _floorListener.Start();
        _floorCounter = _floorMeter.CreateCounter<long>("bench.requests");

        // The series exist before measuring: the hot path is the lookup of a known tag set.
        _ariaCounter.Add(1, MethodTag, StatusTag);
        _otelCounter.Add(1, MethodTag, StatusTag);
        _promCounter.Add(1, MethodTag, StatusTag);
        _ariaHistogram.Record(0.1, MethodTag);
        _otelHistogram.Record(0.1, MethodTag);
        _promHistogram.Record(0.1, MethodTag);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _bridge?.Dispose();
        _ariaMeter?.Dispose();
        _otel?.Dispose();
        _promAdapter?.Dispose();
        _floorListener?.Dispose();
        _floorMeter?.Dispose();
        _floorListener = null;
        _floorMeter = null;
        _promMeter?.Dispose();
        _bridge = _promAdapter = null;
        _ariaMeter = _promMeter = null;
        _otel = null;
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory(CounterAdd), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Bridge_Add_2Tags() => Add(_ariaCounter);

    [BenchmarkCategory(CounterAdd), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void OTel_Add_2Tags() => Add(_otelCounter);

    [BenchmarkCategory(CounterAdd), Benchmark(OperationsPerInvoke = N)]
    public void PromNet_MeterAdapter_Add_2Tags() => Add(_promCounter);

    [BenchmarkCategory(CounterAdd), Benchmark(OperationsPerInvoke = N)]
    public void Floor_NoOpListener_Add_2Tags() => Add(_floorCounter);

    [BenchmarkCategory(HistogramRecord), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Bridge_Record_1Tag() => Record(_ariaHistogram);

    [BenchmarkCategory(HistogramRecord), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void OTel_Record_1Tag() => Record(_otelHistogram);

    [BenchmarkCategory(HistogramRecord), Benchmark(OperationsPerInvoke = N)]
    public void PromNet_MeterAdapter_Record_1Tag() => Record(_promHistogram);

    private static void Add(Counter<long> counter)
    {
        for (int i = 0; i < N; i++)
        {
            counter.Add(1, MethodTag, StatusTag);
        }
    }

    private void Record(Histogram<double> histogram)
    {
        double[] observations = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Record(observations[i & (observations.Length - 1)], MethodTag);
        }
    }
}
