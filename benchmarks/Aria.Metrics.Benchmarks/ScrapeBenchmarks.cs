// Latest results, 2026-11-25: AMD EPYC 2.60GHz, 2 vCPUs (VM), Debian 12, .NET 10.0.12 (RyuJIT x86-64-v4), BenchmarkDotNet 0.15.8 DefaultJob.
// The machine was shared with other engineers' builds for most of the run: figures are noisy; re-run on a quiet
// machine before quoting them (command and full tables: benchmarks/README-section.md).
// Ours into a cleared, reused ArrayBufferWriter; prometheus-net's CollectAndExportAsTextAsync into Stream.Null.
// | Method         | Series | Format         | Mean        | Error     | StdDev      | Median      | Ratio | RatioSD | Allocated | Alloc Ratio |
// |--------------- |------- |--------------- |------------:|----------:|------------:|------------:|------:|--------:|----------:|------------:|
// | Aria_Scrape    | 10000  | PrometheusText |    261.0 μs |   9.10 μs |    26.56 μs |    255.3 μs |  0.12 |    0.03 |         - |        0.00 |
// | PromNet_Scrape | 10000  | PrometheusText |  2,187.2 μs | 155.09 μs |   457.30 μs |  2,216.2 μs |  1.04 |    0.31 |   17056 B |        1.00 |
// | Aria_Scrape    | 10000  | OpenMetrics    |    284.8 μs |  14.90 μs |    43.69 μs |    277.7 μs |  0.13 |    0.03 |         - |        0.00 |
// | PromNet_Scrape | 10000  | OpenMetrics    |  2,265.1 μs | 146.10 μs |   430.78 μs |  2,235.8 μs |  1.04 |    0.27 |   17056 B |        1.00 |
// | Aria_Scrape    | 100000 | PrometheusText |  6,290.0 μs | 122.95 μs |   323.90 μs |  6,180.3 μs |  0.25 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 100000 | PrometheusText | 25,332.1 μs | 448.61 μs |   440.59 μs | 25,294.4 μs |  1.00 |    0.02 |   17056 B |        1.00 |
// | Aria_Scrape    | 100000 | OpenMetrics    |  7,803.0 μs | 368.18 μs | 1,079.82 μs |  7,858.5 μs |  0.28 |    0.04 |         - |        0.00 |
// | PromNet_Scrape | 100000 | OpenMetrics    | 27,766.4 μs | 553.90 μs |   998.80 μs | 27,780.0 μs |  1.00 |    0.05 |   17056 B |        1.00 |

using System.Buffers;
using Aria.Metrics.Benchmarks.Support;
using Aria.Metrics.Exposition;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One scrape of <see cref="Series"/> labeled counter series (ten families, two labels, whole-number values), in either
/// format. Ours writes into one <see cref="ArrayBufferWriter{T}"/> that is cleared and reused, the steady state of a
/// server that keeps its buffer; prometheus-net exports into <see cref="Stream.Null"/>, its cheapest sink. Both
/// registries hold the same series with the same values and were scraped once before measuring.
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
        Format == ExpositionFormat.OpenMetrics ? Prom.ExpositionFormat.OpenMetricsText : Prom.ExpositionFormat.PrometheusText;

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
