using System.Buffers;
using Aria.Metrics.Benchmarks.Support;
using Aria.Metrics.Exposition;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One scrape of <see cref="Series"/> labeled histogram series (ten families, two labels, the ten request buckets,
/// three observations each), in each format: <see cref="ScrapeBenchmarks"/>' shape for the kind that writes thirteen
/// lines a series. Ours writes into one reused <see cref="ArrayBufferWriter{T}"/>; prometheus-net exports into
/// <see cref="Stream.Null"/>, OpenMetrics in the protobuf rows (it has no protobuf format).
/// </summary>
[MemoryDiagnoser]
public class HistogramScrapeBenchmarks
{
    private const int ObservationsPerSeries = 3;

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private MetricRegistry _aria = null!;
    private Prom.CollectorRegistry _peer = null!;

    [Params(10_000)]
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
        Workload.PopulateHistograms(_aria, _peer, Series, ScrapeBenchmarks.Families, ObservationsPerSeries);

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
