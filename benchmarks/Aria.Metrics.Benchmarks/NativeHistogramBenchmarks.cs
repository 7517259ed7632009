// Results: see docs/prometheus-3.md (Native histograms, cost), measured with
// dotnet run -c Release --project benchmarks/Aria.Metrics.Benchmarks -- --filter '*NativeHistogramBenchmarks*' --job short

using System.Buffers;
using Aria.Metrics.Benchmarks.Support;
using Aria.Metrics.Exposition;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// What native buckets cost. Observe: one histogram series with the ticket's ten request buckets, classic only and with
/// native buckets beside them (factor 1.1, at most 160), against prometheus-net's classic histogram, which has no native
/// buckets. Scrape: 1000 series of such a histogram, each with about 60 populated native buckets, written in the
/// protobuf format (classic and native parts, what Prometheus ingests) and in text 0.0.4 (the classic part), into a
/// cleared, reused buffer.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NativeHistogramBenchmarks
{
    public const string Observe = "Observe";
    public const string Scrape = "Scrape 1000 native series";

    private const int N = Workload.HotLoop;
    private const int Series = 1000;

    private readonly double[] _observations = Workload.Observations;
    private readonly ArrayBufferWriter<byte> _buffer = new();

    private HistogramSeries _classic = null!;
    private HistogramSeries _native = null!;
    private Prom.Histogram.Child _peer = null!;
    private MetricRegistry _scraped = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry();
        _classic = registry.CreateHistogram("bench_classic_seconds", "Classic.", new HistogramOptions { Buckets = Workload.RequestBuckets }, "method").WithLabels("chat");
        _native = registry.CreateHistogram("bench_native_seconds", "Native.", NativeOptions(), "method").WithLabels("chat");
        _peer = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry())
            .CreateHistogram("bench_classic_seconds", "Classic.", ["method"], new Prom.HistogramConfiguration { Buckets = Workload.RequestBuckets })
            .WithLabels("chat");

        _scraped = new MetricRegistry();
        Histogram latency = _scraped.CreateHistogram("bench_latency_seconds", "Latency.", NativeOptions(), "route");
        var random = new Random(42);
        for (int series = 0; series < Series; series++)
        {
            HistogramSeries route = latency.WithLabels($"/api/v1/items/{series}");
            for (int i = 0; i < 500; i++)
            {
                route.Observe(Math.Exp((random.NextDouble() * 7) - 6));
            }
        }

        ScrapeProtobuf();
        ScrapeText();
    }

    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Observe_Classic()
    {
        HistogramSeries histogram = _classic;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N)]
    public void Aria_Observe_ClassicAndNative()
    {
        HistogramSeries histogram = _native;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(Observe), Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void PromNet_Observe_Classic()
    {
        Prom.Histogram.Child histogram = _peer;
        double[] values = _observations;
        for (int i = 0; i < N; i++)
        {
            histogram.Observe(values[i & 15]);
        }
    }

    [BenchmarkCategory(Scrape), Benchmark(Baseline = true)]
    public int ScrapeProtobuf()
    {
        _buffer.Clear();
        _scraped.Write(_buffer, ExpositionFormat.Protobuf);
        return _buffer.WrittenCount;
    }

    [BenchmarkCategory(Scrape), Benchmark]
    public int ScrapeText()
    {
        _buffer.Clear();
        _scraped.Write(_buffer, ExpositionFormat.PrometheusText);
        return _buffer.WrittenCount;
    }

    private static HistogramOptions NativeOptions() =>
        new() { Buckets = Workload.RequestBuckets, NativeBucketFactor = 1.1, NativeMaxBucketCount = 160 };
}
