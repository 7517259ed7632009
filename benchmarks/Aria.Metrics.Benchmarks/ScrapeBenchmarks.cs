// RESULTS-PLACEHOLDER

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
        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(_peer);
        (string Route, string Status)[] labels = Workload.LabelPairs(Series / Families);
        for (int family = 0; family < Families; family++)
        {
            string name = $"bench_requests_{family}_total";
            Counter counter = _aria.CreateCounter(name, "Requests served, by route and status.", "route", "status");
            Prom.Counter peerCounter = peer.CreateCounter(name, "Requests served, by route and status.", ["route", "status"]);
            for (int i = 0; i < labels.Length; i++)
            {
                long value = (i * 7919L) % 100_000;
                counter.WithLabels(labels[i].Route, labels[i].Status).Inc(value);
                peerCounter.WithLabels(labels[i].Route, labels[i].Status).Inc(value);
            }
        }

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
