namespace Aria.Metrics.Demo;

/// <summary>
/// A simulated engine workload: requests by method and status, some of them failing, with their durations, the
/// requests in flight and a build info. The Aria catalog replaces the body of <see cref="RunAsync"/> with the full
/// catalog; the rest of the demo depends only on its signature.
/// </summary>
public static class DemoWorkload
{
    private static readonly string[] Methods = ["chat", "completion", "embedding"];

    /// <summary>Records the workload into <paramref name="registry"/> until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="registry">Where the metrics are registered and recorded.</param>
    /// <param name="cancellationToken">Stops the workload; the returned task then completes without throwing.</param>
    public static async Task RunAsync(MetricRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Counter requests = registry.CreateCounter("aria_requests_total", "Requests processed, by method and status.", "method", "status");
        Counter failures = registry.CreateCounter("aria_request_failures_total", "Requests that failed, by method and reason.", "method", "reason");
        Histogram duration = registry.CreateHistogram(
            "aria_request_duration_seconds", "Time to process a request, in seconds.", null, "method");
        Gauge inFlight = registry.CreateGauge("aria_requests_in_flight", "Requests being processed now.");
        Gauge queued = registry.CreateGauge("aria_queue_depth", "Requests waiting for a worker.");
        Info build = registry.CreateInfo("aria_build", "Build of the engine.", "version", "engine");
        build.Set("0.1.0-demo", "aria_demo");

        // Seeded so that two runs of the demo show the same shape of traffic.
        var random = new Random(8081);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                int burst = random.Next(1, 6);
                inFlight.Set(burst);
                queued.Set(random.Next(0, 12));
                for (int i = 0; i < burst; i++)
                {
                    string method = Methods[random.Next(Methods.Length)];
                    double seconds = SimulatedLatency(random, method);
                    duration.WithLabels(method).Observe(seconds);
                    double roll = random.NextDouble();
                    string status = roll switch
                    {
                        < 0.02 => "500",
                        < 0.04 => "429",
                        < 0.06 => "400",
                        _ => "200",
                    };
                    requests.WithLabels(method, status).Inc();
                    if (status != "200")
                    {
                        failures.WithLabels(method, status == "500" ? "internal" : status == "429" ? "rate_limited" : "bad_request").Inc();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop: the normal way out.
        }
        finally
        {
            inFlight.Set(0);
        }
    }

    // Log-normal around a per-method median, so the histogram has a body and a tail.
    private static double SimulatedLatency(Random random, string method)
    {
        double median = method switch
        {
            "chat" => 0.8,
            "completion" => 0.3,
            _ => 0.04,
        };
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(0.6 * normal);
    }
}
