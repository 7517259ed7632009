using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server;

/// <summary>
/// Serves a <see cref="MetricRegistry"/> to Prometheus from a Kestrel endpoint of its own: GET and HEAD on the
/// exposition path, a landing page at <c>/</c>, content negotiation between OpenMetrics and text 0.0.4, and gzip.
/// Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    // Long enough for scrapes in flight to finish; Kestrel then aborts whatever is left.
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly KestrelServer _kestrel;
    private readonly MetricRegistry _registry;
    private readonly ILogger _logger;
    private int _stopped;

    private MetricsServer(KestrelServer kestrel, MetricRegistry registry, ILogger logger, int port, Uri url)
    {
        _kestrel = kestrel;
        _registry = registry;
        _logger = logger;
        Port = port;
        Url = url;
    }

    /// <summary>The port the server is bound to: the one asked for, or the one the system chose when asked for 0.</summary>
    public int Port { get; }

    /// <summary>
    /// The address of the exposition, for printing and for local clients; a server bound to every interface
    /// is shown as <c>localhost</c>.
    /// </summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="registry"/>; the returned server is listening.</summary>
    /// <param name="registry">The registry to expose.</param>
    /// <param name="options">Where and how to serve; read once, here.</param>
    /// <param name="loggerFactory">Receives start, stop, collect-callback failures and timeouts, instrumentation failures, and failed scrapes; null logs nothing.</param>
    /// <param name="cancellationToken">Abandons start-up.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="IOException">The port is already in use; the message names it and <c>METRICS_PORT</c>.</exception>
    public static async Task<MetricsServer> StartAsync(
        MetricRegistry registry,
        MetricsServerOptions options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        loggerFactory ??= NullLoggerFactory.Instance;
        ILogger logger = loggerFactory.CreateLogger<MetricsServer>();

        IPAddress address = IPAddress.Parse(options.BindAddress);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var kestrel = new KestrelServer(Options.Create(KestrelSetup.Create(address, options.Port)), transport, loggerFactory);
        var application = new MetricsApplication(options, new ScrapeResponder(registry, options.EnableCompression, options.CollectTimeout, logger));
        int port;
        try
        {
            await kestrel.StartAsync(application, cancellationToken).ConfigureAwait(false);
            port = BoundPort(kestrel);
        }
        catch (IOException exception) when (exception.InnerException is AddressInUseException)
        {
            kestrel.Dispose();
            throw Errors.PortInUse(address, options.Port, exception);
        }
        catch
        {
            kestrel.Dispose();
            throw;
        }

        var server = new MetricsServer(kestrel, registry, logger, port, ExpositionUrl(address, port, options.Path));
        registry.CollectCallbackFailed += server.OnCollectCallbackFailed;
        registry.CollectCallbackTimedOut += server.OnCollectCallbackTimedOut;
        registry.InstrumentationFailed += server.OnInstrumentationFailed;
        registry.SeriesLimitReached += server.OnSeriesLimitReached;
        registry.MeterProblemFound += server.OnMeterProblemFound;
        Log.Started(logger, server.Url);
        return server;
    }

    /// <summary>
    /// Stops accepting scrapes and waits briefly for those in flight. Later calls, and <see cref="DisposeAsync"/>
    /// after it, do nothing.
    /// </summary>
    /// <param name="cancellationToken">Cuts the wait for scrapes in flight short.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _registry.CollectCallbackFailed -= OnCollectCallbackFailed;
        _registry.CollectCallbackTimedOut -= OnCollectCallbackTimedOut;
        _registry.InstrumentationFailed -= OnInstrumentationFailed;
        _registry.SeriesLimitReached -= OnSeriesLimitReached;
        _registry.MeterProblemFound -= OnMeterProblemFound;
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(ShutdownGrace);
        try
        {
            await _kestrel.StopAsync(grace.Token).ConfigureAwait(false);
        }
        finally
        {
            _kestrel.Dispose();
            Log.Stopped(_logger, Url);
        }
    }

    /// <summary>Stops the server; see <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void OnCollectCallbackFailed(object? sender, Exception exception) => Log.CollectCallbackFailed(_logger, exception);

    private void OnCollectCallbackTimedOut(object? sender, CollectCallbackTimeout timeout) =>
        Log.CollectCallbackTimedOut(_logger, timeout, timeout.RunningFor.TotalSeconds);

    private void OnInstrumentationFailed(object? sender, InstrumentationFailure failure) =>
        Log.InstrumentationFailed(_logger, failure.Source, failure.Exception);

    private void OnSeriesLimitReached(object? sender, SeriesLimitReachedEventArgs reached) =>
        Log.SeriesLimitReached(_logger, reached.Family.Name, reached.Limit);

    private void OnMeterProblemFound(object? sender, MeterProblemEventArgs problem) =>
        Log.MeterProblemFound(_logger, problem.Kind, problem.Meter, problem.Instrument, problem.Detail);

    private static int BoundPort(KestrelServer kestrel)
    {
        ICollection<string>? addresses = kestrel.Features.Get<IServerAddressesFeature>()?.Addresses;
        string address = addresses?.FirstOrDefault() ?? throw Errors.NotBound();
        return new Uri(address).Port;
    }

    private static Uri ExpositionUrl(IPAddress address, int port, string path)
    {
        string host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "localhost"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
            : address.ToString();
        return new Uri($"http://{host}:{port}{path}");
    }
}
