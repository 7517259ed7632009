using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// OpenTelemetry .NET 1.20.1 as a user would run it for Prometheus: instruments on a <see cref="Meter"/>
/// (System.Diagnostics.Metrics), the SDK's MeterProvider listening to it, and the Prometheus HttpListener exporter
/// 1.20.1-beta.1 attached as its reader on a loopback port. Without a reader the SDK records nothing, so a benchmark
/// without one would measure an empty call.
/// <para>
/// Every peer has a meter of its own name, so that providers of different benchmarks never record each other's
/// instruments. Histograms get the workload's buckets through a view (OpenTelemetry's defaults are others); the
/// cardinality limit, 2000 series per metric by default with the rest folded into one overflow series, is raised
/// where a benchmark needs more series. The exporter's scrape-response cache (300 ms by default) is off, so that
/// every scrape serializes.
/// </para>
/// </summary>
public sealed class OtelPeer : IDisposable
{
    private static int s_instances;

    private readonly MeterProvider _provider;

    /// <summary>Starts a meter, a provider and its exporter; a positive <paramref name="cardinalityLimit"/> replaces the default limit.</summary>
    public OtelPeer(int cardinalityLimit = 0)
    {
        string name = $"aria.bench.{Interlocked.Increment(ref s_instances)}";
        Meter = new Meter(name);
        Port = FreePort();
        MeterProviderBuilder builder = Sdk.CreateMeterProviderBuilder()
            .AddMeter(name)
            .AddView(instrument => instrument is Histogram<double>
                ? new ExplicitBucketHistogramConfiguration
                {
                    Boundaries = Workload.RequestBuckets,
                    CardinalityLimit = cardinalityLimit > 0 ? cardinalityLimit : 2000,
                }
                : cardinalityLimit > 0 ? new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit } : null)
            .AddPrometheusHttpListener(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = Port;
                options.ScrapeResponseCacheDurationMilliseconds = 0;
            });
        _provider = builder.Build()!;
    }

    /// <summary>The meter the benchmark creates its instruments on.</summary>
    public Meter Meter { get; }

    /// <summary>The loopback port the exporter serves <c>/metrics</c> on.</summary>
    public int Port { get; }

    /// <summary>Stops the exporter and the provider.</summary>
    public void Dispose()
    {
        _provider.Dispose();
        Meter.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
