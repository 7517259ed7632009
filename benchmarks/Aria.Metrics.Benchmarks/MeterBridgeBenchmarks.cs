// Latest results: see docs/meters.md (filled in from the run recorded there).

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
