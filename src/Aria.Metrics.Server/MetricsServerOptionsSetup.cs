using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server;

/// <summary>
/// Fills the options from the "AriaMetrics" configuration section, then lets <c>METRICS_PORT</c> override the port.
/// Values that cannot be read are recorded for validation rather than thrown here, so that start-up reports them all
/// in one <see cref="OptionsValidationException"/>.
/// </summary>
internal sealed class MetricsServerOptionsSetup(IConfiguration? configuration) : IConfigureOptions<MetricsServerOptions>
{
    public void Configure(MetricsServerOptions options)
    {
        if (configuration is not null)
        {
            try
            {
                configuration.GetSection(MetricsServerOptions.ConfigurationSection).Bind(options);
            }
            catch (InvalidOperationException exception)
            {
                options.AddSourceError(Errors.ConfigurationUnreadable(exception.Message));
            }
        }

        // Hosts put environment variables into configuration; a bare service collection may have none, so the
        // process environment is asked too.
        options.ApplyPortVariable(
            configuration?[MetricsServerOptions.PortEnvironmentVariable]
            ?? Environment.GetEnvironmentVariable(MetricsServerOptions.PortEnvironmentVariable));
    }
}
