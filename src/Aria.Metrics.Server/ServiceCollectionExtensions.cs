using Aria.Metrics;
using Aria.Metrics.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Aria metrics endpoint with a host.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Serves the registered <see cref="MetricRegistry"/> (or <see cref="MetricRegistry.Default"/> when none is
    /// registered) from a <see cref="MetricsServer"/> that runs for the lifetime of the host. The options come from the
    /// <c>AriaMetrics</c> configuration section, then <c>METRICS_PORT</c>, then <paramref name="configure"/>; they are
    /// validated when the host starts, which fails with an <see cref="OptionsValidationException"/> listing every problem.
    /// Calling this again adds configuration, not a second server.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Adjusts the options after configuration and the environment.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddAriaMetrics(this IServiceCollection services, Action<MetricsServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(MetricRegistry.Default);

        OptionsBuilder<MetricsServerOptions> options = services.AddOptions<MetricsServerOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MetricsServerOptions>, MetricsServerOptionsSetup>(
            static provider => new MetricsServerOptionsSetup(provider.GetService<IConfiguration>())));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsServerOptions>, MetricsServerOptionsValidator>());
        options.ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetricsHostedService>(
            static provider => new MetricsHostedService(
                provider.GetRequiredService<MetricRegistry>(),
                provider.GetRequiredService<IOptions<MetricsServerOptions>>(),
                provider.GetService<ILoggerFactory>())));
        return services;
    }
}
