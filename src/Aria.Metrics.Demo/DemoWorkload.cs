using Aria.Metrics.Catalog;

namespace Aria.Metrics.Demo;

/// <summary>
/// The demo's workload: the whole Aria catalog, recorded by a simulation of the engine's five layers
/// (<see cref="EngineSimulation"/>), whose model calls go through <see cref="HttpClient"/> to a local stub
/// (<see cref="LlmStub"/>); the platform's HTTP metrics are bridged into the registry (<see cref="MetricRegistry.AddMeters"/>)
/// for as long as the workload runs. The program and the tests depend only on this entry point.
/// </summary>
public static class DemoWorkload
{
    /// <summary>Records the workload into <paramref name="registry"/> until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="registry">Where the catalog is registered and recorded.</param>
    /// <param name="cancellationToken">Stops the workload; the returned task then completes without throwing.</param>
    public static async Task RunAsync(MetricRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using IDisposable meters = registry.AddMeters("System.Net.Http", "Microsoft.AspNetCore.Hosting");
        await using LlmStub stub = await LlmStub.StartAsync(CancellationToken.None).ConfigureAwait(false);

        // The engine checks that its model endpoint answers before it takes requests; the HTTP families are then
        // registered before the catalog, so that a scrape showing the catalog shows them too.
        using (HttpResponseMessage health = await stub.Client.GetAsync(new Uri("health", UriKind.Relative), CancellationToken.None).ConfigureAwait(false))
        {
            health.EnsureSuccessStatusCode();
        }

        AriaMetrics metrics = AriaMetrics.For(registry);
        await EngineSimulation.RunAsync(metrics, stub.Client, cancellationToken).ConfigureAwait(false);
    }
}
