// Latest results, 2026-11-30 (issue 12, item 4, second pass: series prefetched, lines in line, protobuf label arena), on
// an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8 (--job short, out of process,
// under the exclusive CPU lock). At 100k the figures move by about 20 % between runs with the machine's memory
// traffic: an earlier run of the same code gave 0.10x for text and OpenMetrics. How to run them and what the figures
// mean: docs/benchmarks.md.
// | Method         | Series | Format         | Mean        | Error       | StdDev      | Median      | Ratio | RatioSD | Allocated | Alloc Ratio |
// |--------------- |------- |--------------- |------------:|------------:|------------:|------------:|------:|--------:|----------:|------------:|
// | Aria_Scrape    | 10000  | PrometheusText |    229.6 us |    488.9 us |    26.80 us |    214.2 us |  0.08 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 10000  | PrometheusText |  2,924.9 us |  6,462.7 us |   354.24 us |  2,784.0 us |  1.01 |    0.15 |   17056 B |        1.00 |
// |                |        |                |             |             |             |             |       |         |           |             |
// | Aria_Scrape    | 10000  | OpenMetrics    |    257.0 us |    492.2 us |    26.98 us |    247.6 us |  0.07 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 10000  | OpenMetrics    |  3,562.4 us | 13,859.3 us |   759.68 us |  3,390.0 us |  1.03 |    0.26 |   17056 B |        1.00 |
// |                |        |                |             |             |             |             |       |         |           |             |
// | Aria_Scrape    | 10000  | Protobuf       |    410.8 us |    208.2 us |    11.41 us |    411.1 us |  0.13 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 10000  | Protobuf       |  3,216.4 us |  2,088.2 us |   114.46 us |  3,195.0 us |  1.00 |    0.04 |   17056 B |        1.00 |
// |                |        |                |             |             |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | PrometheusText |  2,677.2 us |  1,437.8 us |    78.81 us |  2,637.9 us |  0.08 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 100000 | PrometheusText | 35,003.2 us | 33,909.7 us | 1,858.70 us | 33,937.6 us |  1.00 |    0.06 |   17056 B |        1.00 |
// |                |        |                |             |             |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | OpenMetrics    |  2,546.9 us |  2,133.0 us |   116.92 us |  2,541.6 us |  0.08 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 100000 | OpenMetrics    | 33,470.3 us | 45,397.2 us | 2,488.38 us | 32,384.7 us |  1.00 |    0.09 |   17056 B |        1.00 |
// |                |        |                |             |             |             |             |       |         |           |             |
// | Aria_Scrape    | 100000 | Protobuf       |  6,251.9 us | 17,675.1 us |   968.83 us |  6,713.6 us |  0.13 |    0.02 |         - |        0.00 |
// | PromNet_Scrape | 100000 | Protobuf       | 47,530.2 us | 83,184.7 us | 4,559.63 us | 47,954.9 us |  1.01 |    0.12 |   17056 B |        1.00 |

using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One scrape of <see cref="Series"/> labeled counter series (ten families, two labels, whole-number values), in each
/// format, as <see cref="InProcessScrape"/> describes.
/// </summary>
[MemoryDiagnoser]
public class ScrapeBenchmarks : InProcessScrape
{
    public const int Families = 10;

    [Params(10_000, 100_000)]
    public int Series { get; set; }

    protected override void Populate(MetricRegistry aria, Prom.CollectorRegistry peer) =>
        Workload.PopulateCounters(aria, peer, Series, Families);
}
