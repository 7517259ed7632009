using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server;

/// <summary>Runs a <see cref="MetricsServer"/> for the lifetime of a host.</summary>
internal sealed class MetricsHostedService(MetricRegistry registry, IOptions<MetricsServerOptions> options, ILoggerFactory? loggerFactory)
    : IHostedService, IAsyncDisposable
{
    /// <summary>The running server, once started.</summary>
    internal MetricsServer? Server { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken) =>
        Server = await MetricsServer.StartAsync(registry, options.Value, loggerFactory, cancellationToken).ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) => Server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => Server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
