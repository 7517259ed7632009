// Latest results, 2026-11-30 (issue 12: histogram walks with the label arena, the text walk with the series prefetch,
// bucket lines copied in line), on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short, out of process, under the exclusive CPU lock). Over four runs each, before and after interleaved:
// text 5.3-7.3 ms before, 4.4-5.7 ms after (0.22x-0.32x of prometheus-net before, 0.15x-0.24x after); OpenMetrics
// 5.3-6.9 to 4.4-5.0 ms (0.23x-0.27x to 0.18x-0.20x); protobuf 2.7-4.0 to 1.9-2.5 ms (0.11x-0.16x to 0.08x-0.10x).
// Ours allocated 0 B in every run after the change. What the figures mean: docs/benchmarks.md, "Histogram families".
// | Method         | Series | Format         | Mean      | Error      | StdDev    | Median    | Ratio | RatioSD | Allocated | Alloc Ratio |
// |--------------- |------- |--------------- |----------:|-----------:|----------:|----------:|------:|--------:|----------:|------------:|
// | Aria_Scrape    | 10000  | PrometheusText |  4.900 ms |  2.7935 ms | 0.1531 ms |  4.985 ms |  0.20 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 10000  | PrometheusText | 25.068 ms |  0.5511 ms | 0.0302 ms | 25.053 ms |  1.00 |    0.00 |   17056 B |        1.00 |
// |                |        |                |           |            |           |           |       |         |           |             |
// | Aria_Scrape    | 10000  | OpenMetrics    |  4.389 ms |  2.7789 ms | 0.1523 ms |  4.349 ms |  0.19 |    0.01 |         - |        0.00 |
// | PromNet_Scrape | 10000  | OpenMetrics    | 23.373 ms |  4.1443 ms | 0.2272 ms | 23.492 ms |  1.00 |    0.01 |   17056 B |        1.00 |
// |                |        |                |           |            |           |           |       |         |           |             |
// | Aria_Scrape    | 10000  | Protobuf       |  1.913 ms |  0.1835 ms | 0.0101 ms |  1.911 ms |  0.08 |    0.00 |         - |        0.00 |
// | PromNet_Scrape | 10000  | Protobuf       | 23.480 ms | 18.0568 ms | 0.9898 ms | 22.929 ms |  1.00 |    0.05 |   17056 B |        1.00 |

using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One scrape of <see cref="Series"/> labeled histogram series (ten families, two labels, the ten request buckets,
/// three observations each), in each format, as <see cref="InProcessScrape"/> describes: <see cref="ScrapeBenchmarks"/>'
/// shape for the kind that writes thirteen lines a series.
/// </summary>
[MemoryDiagnoser]
public class HistogramScrapeBenchmarks : InProcessScrape
{
    private const int ObservationsPerSeries = 3;

    [Params(10_000)]
    public int Series { get; set; }

    protected override void Populate(MetricRegistry aria, Prom.CollectorRegistry peer) =>
        Workload.PopulateHistograms(aria, peer, Series, ScrapeBenchmarks.Families, ObservationsPerSeries);
}
