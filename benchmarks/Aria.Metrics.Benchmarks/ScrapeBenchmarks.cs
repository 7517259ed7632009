// Latest results, 2026-11-30 (issue 12, item 4: label text in one array per family), on an AMD EPYC 2.60 GHz VM with
// 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8 (--job short, out of process, under the exclusive CPU lock).
// How to run them and what the figures mean: docs/benchmarks.md.
// | Method         | Series | Format         | Mean        | Error        | StdDev      | Median      | Ratio | RatioSD | Allocated | Alloc Ratio |
// |--------------- |------- |--------------- |------------:|-------------:|------------:|------------:|------:|--------:|----------:|------------:|
// | Aria_Scrape    | 10000  | PrometheusText |    273.7 us |     158.3 us |     8.68 us |    270.0 us |  0.09 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 10000  | PrometheusText |  3,050.4 us |   2,965.5 us |   162.55 us |  3,007.4 us |  1.00 |    0.06 |   17056 B |        1.00 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 10000  | OpenMetrics    |    318.7 us |     845.2 us |    46.33 us |    303.9 us |  0.10 |    0.02 |         - |        0.00 |
// | PromNet_Scrape | 10000  | OpenMetrics    |  3,114.5 us |   7,166.7 us |   392.83 us |  3,150.6 us |  1.01 |    0.16 |   17056 B |        1.00 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 10000  | Protobuf       |  1,134.8 us |   1,499.4 us |    82.19 us |  1,134.8 us |  0.43 |    0.05 |         - |        0.00 |
// | PromNet_Scrape | 10000  | Protobuf       |  2,630.4 us |   5,186.3 us |   284.28 us |  2,535.2 us |  1.01 |    0.13 |   17056 B |        1.00 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | PrometheusText |  4,245.3 us |   1,217.3 us |    66.72 us |  4,275.1 us |  0.14 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 100000 | PrometheusText | 29,506.5 us |   7,561.6 us |   414.47 us | 29,354.2 us |  1.00 |    0.02 |   17056 B |        1.00 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | OpenMetrics    |  3,890.8 us |   8,557.7 us |   469.08 us |  4,137.5 us |  0.12 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 100000 | OpenMetrics    | 33,669.8 us |  12,177.9 us |   667.51 us | 33,379.3 us |  1.00 |    0.02 |   17056 B |        1.00 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | Protobuf       | 10,333.6 us |   9,582.7 us |   525.26 us | 10,355.4 us |  0.28 |    0.05 |         - |        0.00 |
// | PromNet_Scrape | 100000 | Protobuf       | 38,087.5 us | 131,099.4 us | 7,186.00 us | 39,823.2 us |  1.03 |    0.25 |   17056 B |        1.00 |

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
