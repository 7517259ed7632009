using System.Buffers;
using Aria.Metrics.Exposition;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// One scrape of two registries that hold the same series with the same values, in each format, for the scrape
/// benchmarks of each kind of series. Ours writes into one <see cref="ArrayBufferWriter{T}"/> that is cleared and
/// reused, the steady state of a server that keeps its buffer; prometheus-net exports into <see cref="Stream.Null"/>,
/// its cheapest sink. Both are scraped once before measuring. prometheus-net has no protobuf format: in the protobuf
/// rows it writes OpenMetrics, which is what it answers a Prometheus asking for protobuf first.
/// </summary>
public abstract class InProcessScrape
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private MetricRegistry _aria = null!;
    private Prom.CollectorRegistry _peer = null!;

    [ParamsAllValues]
    public ExpositionFormat Format { get; set; }

    private Prom.ExpositionFormat PeerFormat =>
        Format == ExpositionFormat.PrometheusText ? Prom.ExpositionFormat.PrometheusText : Prom.ExpositionFormat.OpenMetricsText;

    [GlobalSetup]
    public void Setup()
    {
        _aria = new MetricRegistry();
        _peer = Prom.Metrics.NewCustomRegistry();
        Populate(_aria, _peer);

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

    /// <summary>Creates the same series, with the same values, in both registries.</summary>
    protected abstract void Populate(MetricRegistry aria, Prom.CollectorRegistry peer);
}
