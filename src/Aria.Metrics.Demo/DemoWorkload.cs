using Aria.Metrics.Catalog;

namespace Aria.Metrics.Demo;

/// <summary>
/// The demo's workload: the whole Aria catalog, recorded by a simulation of the engine's five layers
/// (<see cref="EngineSimulation"/>). The program and the tests depend only on this entry point.
/// </summary>
public static class DemoWorkload
{
    /// <summary>Records the workload into <paramref name="registry"/> until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="registry">Where the catalog is registered and recorded.</param>
    /// <param name="cancellationToken">Stops the workload; the returned task then completes without throwing.</param>
    public static Task RunAsync(MetricRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        AriaMetrics metrics = AriaMetrics.For(registry);
        return EngineSimulation.RunAsync(metrics, cancellationToken);
    }
}
