using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server;

/// <summary>Runs <see cref="MetricsServerOptions.Validate"/> for the options system, so that a host fails at start.</summary>
internal sealed class MetricsServerOptionsValidator : IValidateOptions<MetricsServerOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsServerOptions options)
    {
        IReadOnlyList<string> errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
