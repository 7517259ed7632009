// Latest results, 2026-11-30, on an AMD EPYC 2.60 GHz VM with 2 vCPUs, Debian 12, .NET 10, BenchmarkDotNet 0.15.8
// (--job short --inProcess, under the exclusive CPU lock; the machine was busier than on 2026-11-25, so compare
// ratios, not nanoseconds). How to run them and what the figures mean: docs/benchmarks.md.
// | Method             | Mean      | Error     | StdDev    | Median    | Ratio | RatioSD | Allocated | Alloc Ratio |
// |------------------- |----------:|----------:|----------:|----------:|------:|--------:|----------:|------------:|
// | Aria_HttpScrape    |  1.642 ms |  1.085 ms | 0.0595 ms |  1.662 ms |  0.43 |    0.07 |   4.29 KB |        0.13 |
// | PromNet_HttpScrape |  3.954 ms | 14.245 ms | 0.7808 ms |  3.793 ms |  1.03 |    0.24 |  32.66 KB |        1.00 |
// | OTel_HttpScrape    | 12.950 ms | 57.187 ms | 3.1346 ms | 13.932 ms |  3.36 |    0.90 |  96.04 KB |        2.94 |

using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Aria.Metrics.Benchmarks.Support;
using Aria.Metrics.Server;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// Whole scrapes over HTTP on loopback, as Prometheus 2.42 makes them (its Accept and Accept-Encoding headers): our
/// endpoint against prometheus-net's Kestrel server and OpenTelemetry's Prometheus HttpListener exporter, 10k series
/// each (ten families of 1000: under OpenTelemetry's default cardinality limit of 2000 per metric). The client reads
/// every byte of the body as sent (ours negotiates OpenMetrics and gzip; prometheus-net answers uncompressed text;
/// OpenTelemetry's exporter OpenMetrics, uncompressed). Server and client share the process, so Allocated counts both
/// sides; the client's share is the same for all.
/// </summary>
[MemoryDiagnoser]
public class HttpScrapeBenchmarks : IDisposable
{
    public const int Series = 10_000;

    private const string Prometheus242Accept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private MetricsServer? _ours;
    private Prom.IMetricServer? _peer;
    private HttpClient? _oursClient;
    private HttpClient? _peerClient;
    private OtelPeer? _otel;
    private HttpClient? _otelClient;

    [GlobalSetup]
    public void Setup()
    {
        var aria = new MetricRegistry();
        Prom.CollectorRegistry peerRegistry = Prom.Metrics.NewCustomRegistry();
        Workload.PopulateCounters(aria, peerRegistry, Series, ScrapeBenchmarks.Families);

        _ours = MetricsServer.StartAsync(aria, new MetricsServerOptions { Port = 0, BindAddress = "127.0.0.1" }).GetAwaiter().GetResult();
        int peerPort = FreePort();
        _peer = new Prom.KestrelMetricServer("127.0.0.1", peerPort, "/metrics", peerRegistry).Start();
        _oursClient = Client(_ours.Port);
        _peerClient = Client(peerPort);

        _otel = new OtelPeer();
        (string Route, string Status)[] labels = Workload.LabelPairs(Series / ScrapeBenchmarks.Families);
        for (int family = 0; family < ScrapeBenchmarks.Families; family++)
        {
            Counter<long> counter = _otel.Meter.CreateCounter<long>($"bench_requests_{family}", description: "Requests served, by route and status.");
            for (int i = 0; i < labels.Length; i++)
            {
                counter.Add((i * 7919L) % 100_000, new KeyValuePair<string, object?>("route", labels[i].Route), new KeyValuePair<string, object?>("status", labels[i].Status));
            }
        }

        _otelClient = Client(_otel.Port);

        Aria_HttpScrape().GetAwaiter().GetResult();
        PromNet_HttpScrape().GetAwaiter().GetResult();
        OTel_HttpScrape().GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<long> Aria_HttpScrape() => ScrapeAsync(_oursClient!);

    [Benchmark(Baseline = true)]
    public Task<long> PromNet_HttpScrape() => ScrapeAsync(_peerClient!);

    [Benchmark]
    public Task<long> OTel_HttpScrape() => ScrapeAsync(_otelClient!);

    [GlobalCleanup]
    public void Dispose()
    {
        _oursClient?.Dispose();
        _peerClient?.Dispose();
        _otelClient?.Dispose();
        _otel?.Dispose();
        _otel = null;
        _ours?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _peer?.StopAsync().GetAwaiter().GetResult();
        _ours = null;
        _peer = null;
        GC.SuppressFinalize(this);
    }

    private async Task<long> ScrapeAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("metrics", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(_readBuffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static HttpClient Client(int port)
    {
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", Prometheus242Accept);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", "gzip");
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Prometheus-Scrape-Timeout-Seconds", "10");
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
