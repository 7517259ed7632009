using Aria.Metrics;
using Aria.Metrics.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves an Aria metrics registry from an ASP.NET Core application's own endpoints.</summary>
public static class AriaMetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves <paramref name="registry"/> at <paramref name="pattern"/> on the application's own pipeline, with the same
    /// answers as <see cref="MetricsServer"/>: GET and HEAD, OpenMetrics or text 0.0.4 by the Accept header, gzip when
    /// Accept-Encoding allows it, collect callbacks under <see cref="MetricsServerOptions.CollectTimeout"/> (5 s unless
    /// the application's <see cref="MetricsServerOptions"/> say otherwise, through <c>AddAriaMetrics</c>, the
    /// <c>AriaMetrics</c> configuration section or <c>Configure&lt;MetricsServerOptions&gt;</c>; shorter when the
    /// scraper's <c>X-Prometheus-Scrape-Timeout-Seconds</c> says so), 500 when writing fails, and 405 with
    /// <c>Allow: GET, HEAD</c> for any other method. The application's
    /// middleware runs first, so authorization, host filtering and the rest compose through the returned builder:
    /// <c>app.MapAriaMetrics().RequireAuthorization("scrapers")</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route pattern of the exposition.</param>
    /// <param name="registry">
    /// The registry to serve; null serves the <see cref="MetricRegistry"/> registered with the application's services
    /// (<c>AddAriaMetrics</c> registers one), or else <see cref="MetricRegistry.Default"/>.
    /// </param>
    /// <returns>The endpoint's convention builder, for <c>RequireAuthorization</c>, <c>RequireHost</c> and the like.</returns>
    public static IEndpointConventionBuilder MapAriaMetrics(
        this IEndpointRouteBuilder endpoints,
        string pattern = "/metrics",
        MetricRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        IServiceProvider services = endpoints.ServiceProvider;
        registry ??= services.GetService<MetricRegistry>() ?? MetricRegistry.Default;
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger<MetricsEndpoint>() ?? NullLogger<MetricsEndpoint>.Instance;

        // Collect callbacks that throw or miss a scrape's deadline, and instrumentation that failed, are reported through
        // the application's log while it runs, as the dedicated server reports them through its own.
        void OnCollectCallbackFailed(object? sender, Exception exception) => Log.CollectCallbackFailed(logger, exception);
        void OnCollectCallbackTimedOut(object? sender, CollectCallbackTimeout timeout) =>
            Log.CollectCallbackTimedOut(logger, timeout, timeout.RunningFor.TotalSeconds);
        void OnInstrumentationFailed(object? sender, InstrumentationFailure failure) =>
            Log.InstrumentationFailed(logger, failure.Source, failure.Exception);
        registry.CollectCallbackFailed += OnCollectCallbackFailed;
        registry.CollectCallbackTimedOut += OnCollectCallbackTimedOut;
        registry.InstrumentationFailed += OnInstrumentationFailed;
        MetricRegistry served = registry;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(() =>
        {
            served.CollectCallbackFailed -= OnCollectCallbackFailed;
            served.CollectCallbackTimedOut -= OnCollectCallbackTimedOut;
            served.InstrumentationFailed -= OnInstrumentationFailed;
        });

        // Compression is always offered: the client asks for it or not, and an application's own response compression
        // leaves a body alone once its Content-Encoding is set.
        TimeSpan collectTimeout = services.GetService<IOptions<MetricsServerOptions>>()?.Value.CollectTimeout ?? MetricsServerOptions.DefaultCollectTimeout;
        var endpoint = new MetricsEndpoint(new ScrapeResponder(registry, enableCompression: true, collectTimeout, logger));
        return endpoints.Map(pattern, endpoint.HandleAsync).WithDisplayName("Aria metrics");
    }
}
