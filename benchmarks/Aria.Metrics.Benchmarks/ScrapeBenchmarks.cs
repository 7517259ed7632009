// Latest results, 2026-11-30, on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short --inProcess, under the exclusive CPU lock; the machine was busier than on 2026-11-25, so compare
// ratios, not nanoseconds). How to run them and what the figures mean: docs/benchmarks.md.
// | Method         | Series | Format         | Mean        | Error        | StdDev      | Median      | Ratio | RatioSD | Allocated | Alloc Ratio |
// |--------------- |------- |--------------- |------------:|-------------:|------------:|------------:|------:|--------:|----------:|------------:|
// | Aria_Scrape    | 10000  | PrometheusText |    251.0 us |    246.54 us |    13.51 us |    252.0 us |  0.11 |    0.01 |       2 B |       0.000 |
// | PromNet_Scrape | 10000  | PrometheusText |  2,395.6 us |  2,842.82 us |   155.82 us |  2,313.0 us |  1.00 |    0.08 |   17082 B |       1.000 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 10000  | OpenMetrics    |    225.9 us |     98.84 us |     5.42 us |    226.2 us |  0.09 |    0.00 |       2 B |       0.000 |
// | PromNet_Scrape | 10000  | OpenMetrics    |  2,479.5 us |  1,107.92 us |    60.73 us |  2,501.3 us |  1.00 |    0.03 |   17085 B |       1.000 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | PrometheusText |  6,625.6 us |  3,718.44 us |   203.82 us |  6,642.4 us |  0.24 |    0.02 |      52 B |       0.003 |
// | PromNet_Scrape | 100000 | PrometheusText | 28,025.3 us | 42,420.70 us | 2,325.22 us | 27,436.4 us |  1.00 |    0.10 |   17264 B |       1.000 |
// |                |        |                |             |              |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | OpenMetrics    |  5,162.3 us | 10,592.08 us |   580.59 us |  5,188.8 us |  0.17 |    0.02 |      52 B |       0.003 |
// | PromNet_Scrape | 100000 | OpenMetrics    | 30,642.0 us | 46,189.89 us | 2,531.82 us | 31,850.4 us |  1.00 |    0.10 |   17264 B |       1.000 |

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
