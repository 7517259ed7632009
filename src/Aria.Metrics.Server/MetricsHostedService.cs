using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server;

/// <summary>Runs a <see cref="MetricsServer"/> for the lifetime of a host.</summary>
internal sealed class MetricsHostedService(MetricRegistry registry, IOptions<MetricsServerOptions> options, ILoggerFactory? loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private IDisposable? _meters;

    /// <summary>The running server, once started.</summary>
    internal MetricsServer? Server { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        MetricsServerOptions settings = options.Value;
        Server = await MetricsServer.StartAsync(registry, settings, loggerFactory, cancellationToken).ConfigureAwait(false);

        // After the server subscribed to the registry's events, so that a refused instrument is logged.
        if (settings.Meters.Count != 0)
        {
            _meters = registry.AddMeters([.. settings.Meters]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _meters, null)?.Dispose();
        return Server?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _meters, null)?.Dispose();
        return Server?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
