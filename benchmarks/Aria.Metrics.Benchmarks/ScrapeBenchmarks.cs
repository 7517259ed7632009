// Latest results, 2026-11-25, on an idle AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10.0.12,
// BenchmarkDotNet 0.15.8 (--job short). How to run them and what the figures mean: the README's Benchmarks section.
// | Method         | Series | Format         | Mean        | Error       | StdDev    | Median      | Ratio | RatioSD | Allocated | Alloc Ratio |
// |--------------- |------- |--------------- |------------:|------------:|----------:|------------:|------:|--------:|----------:|------------:|
// | Aria_Scrape    | 10000  | PrometheusText |    165.1 μs |    10.50 μs |   0.58 μs |    165.2 μs |  0.10 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 10000  | PrometheusText |  1,672.3 μs | 1,258.51 μs |  68.98 μs |  1,638.8 μs |  1.00 |    0.05 |   17056 B |        1.00 |
// | Aria_Scrape    | 10000  | OpenMetrics    |    167.1 μs |    24.98 μs |   1.37 μs |    166.6 μs |  0.10 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 10000  | OpenMetrics    |  1,644.6 μs |   255.79 μs |  14.02 μs |  1,639.5 μs |  1.00 |    0.01 |   17056 B |        1.00 |
// | Aria_Scrape    | 100000 | PrometheusText |  4,169.9 μs |   782.63 μs |  42.90 μs |  4,193.1 μs |  0.20 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 100000 | PrometheusText | 21,299.7 μs | 9,363.80 μs | 513.26 μs | 21,068.7 μs |  1.00 |    0.03 |   17056 B |        1.00 |
// | Aria_Scrape    | 100000 | OpenMetrics    |  4,793.9 μs | 7,555.55 μs | 414.15 μs |  4,642.7 μs |  0.22 |    0.02 |         - |        0.00 |
// | PromNet_Scrape | 100000 | OpenMetrics    | 21,780.4 μs | 1,159.68 μs |  63.57 μs | 21,749.9 μs |  1.00 |    0.00 |   17056 B |        1.00 |

using System.Buffers;
using Aria.Metrics.Benchmarks.Support;
using Aria.Metrics.Exposition;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One scrape of <see cref="Series"/> labeled counter series (ten families, two labels, whole-number values), in each
/// format. Ours writes into one <see cref="ArrayBufferWriter{T}"/> that is cleared and reused, the steady state of a
/// server that keeps its buffer; prometheus-net exports into <see cref="Stream.Null"/>, its cheapest sink. Both
/// registries hold the same series with the same values and were scraped once before measuring. prometheus-net has no
/// protobuf format: in the protobuf rows it writes OpenMetrics, which is what it answers a Prometheus asking for
/// protobuf first.
/// </summary>
[MemoryDiagnoser]
public class ScrapeBenchmarks
{
    public const int Families = 10;

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private MetricRegistry _aria = null!;
    private Prom.CollectorRegistry _peer = null!;

    [Params(10_000, 100_000)]
    public int Series { get; set; }

    [ParamsAllValues]
    public ExpositionFormat Format { get; set; }

    private Prom.ExpositionFormat PeerFormat =>
        Format == ExpositionFormat.PrometheusText ? Prom.ExpositionFormat.PrometheusText : Prom.ExpositionFormat.OpenMetricsText;

    [GlobalSetup]
    public void Setup()
    {
        _aria = new MetricRegistry();
        _peer = Prom.Metrics.NewCustomRegistry();
        Workload.PopulateCounters(_aria, _peer, Series, Families);

        Aria_Scrape();
        PromNet_Scrape().GetAwaiter().GetResult();
    }

    [Benchmark]
    public int Aria_Scrape()
    {
        _buffer.Clear();
        _aria.Write(_buffer, Format);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    public Task PromNet_Scrape() => _peer.CollectAndExportAsTextAsync(Stream.Null, PeerFormat, CancellationToken.None);
}
