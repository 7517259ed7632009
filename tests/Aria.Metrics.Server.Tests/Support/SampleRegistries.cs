namespace Aria.Metrics.Server.Tests.Support;

/// <summary>Registries to serve: one with every kind of family and awkward text, and one large enough to take time.</summary>
internal static class SampleRegistries
{
    /// <summary>How many families <see cref="Small"/> holds.</summary>
    public const int SmallFamilyCount = 5;

    /// <summary>
    /// The sample lines of <see cref="Small"/>'s exposition, in either format, counted from its definition rather than
    /// from any output: two series of each counter (4), the gauge (1), two histogram series of four bounds and +Inf
    /// with _sum and _count (2 x 7), and the info (1).
    /// </summary>
    public const int SmallSampleCount = 4 + 1 + (2 * 7) + 1;

    /// <summary>Counters, a gauge, a histogram and an info, with label values and help texts that need escaping.</summary>
    public static MetricRegistry Small()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("test_requests_total", "Requests handled, by method and status.", "method", "status");
        requests.WithLabels("get", "200").Inc(5);
        requests.WithLabels("post", "500").Inc();
        Counter events = registry.CreateCounter("test_events_total", "Events with \"awkward\" labels and a backslash \\ in help.", "detail");
        events.WithLabels("quote \" backslash \\ newline \n end").Inc(2);
        events.WithLabels("ünïcödé ✓").Inc(0.5);
        Gauge temperature = registry.CreateGauge("test_temperature_celsius", "A temperature that can go below zero.");
        temperature.Set(-3.25);
        Histogram duration = registry.CreateHistogram("test_request_duration_seconds", "Time to handle a request.", [0.1, 0.5, 1, 5], "method");
        duration.WithLabels("get").Observe(0.05);
        duration.WithLabels("get").Observe(0.7);
        duration.WithLabels("post").Observe(12);
        registry.CreateInfo("test_build", "Build of the test.", "version").Set("1.2.3");
        return registry;
    }

    /// <summary>
    /// A counter with <paramref name="series"/> series (about 70 bytes a line): big enough that a body is still being
    /// sent when a client walks away.
    /// </summary>
    public static MetricRegistry Large(int series, out Counter counter)
    {
        var registry = new MetricRegistry();
        counter = registry.CreateCounter("test_large_events_total", "Many series.", "shard", "kind");
        counter.SeriesLimit = int.MaxValue;
        for (int i = 0; i < series; i++)
        {
            counter.WithLabels($"shard-{i}", (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc(i);
        }

        return registry;
    }
}
