using Prom = Prometheus;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// The inputs every benchmark shares, so that ours and the peer's see exactly the same values. Label value strings
/// are made once, up front: series creation, memory and scrape figures then measure the engines, not string building.
/// </summary>
internal static class Workload
{
    /// <summary>Inner-loop length of the nanosecond benchmarks: large enough that the call into the benchmark is noise.</summary>
    public const int HotLoop = 1000;

    /// <summary>The ticket's request-duration buckets, in seconds.</summary>
    public static readonly double[] RequestBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

    /// <summary>
    /// Sixteen observations spread over every bucket, +Inf included, cycled by the histogram loops so that neither
    /// engine is measured on one lucky (or unlucky) bucket position.
    /// </summary>
    public static readonly double[] Observations =
        [0.004, 0.03, 0.07, 0.2, 0.4, 0.8, 2.0, 4.0, 8.0, 20.0, 45.0, 0.012, 0.12, 0.3, 1.5, 0.06];

    /// <summary>Distinct statuses per route; routes times statuses gives the label sets.</summary>
    public const int StatusesPerRoute = 100;

    private static readonly string[] Statuses =
        [.. Enumerable.Range(0, StatusesPerRoute).Select(i => (200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// <paramref name="count"/> distinct (route, status) pairs, e.g. <c>("/api/v1/items/42", "217")</c>; the status
    /// strings are shared between pairs, as label values are in real services.
    /// </summary>
    public static (string Route, string Status)[] LabelPairs(int count)
    {
        int routeCount = (count + StatusesPerRoute - 1) / StatusesPerRoute;
        string[] routes = [.. Enumerable.Range(0, routeCount).Select(i => $"/api/v1/items/{i}")];
        var pairs = new (string, string)[count];
        for (int i = 0; i < count; i++)
        {
            pairs[i] = (routes[i / StatusesPerRoute], Statuses[i % StatusesPerRoute]);
        }

        return pairs;
    }

    /// <summary>Labeled counter families with <paramref name="series"/> series in all, the same in both registries.</summary>
    public static void PopulateCounters(MetricRegistry aria, Prom.CollectorRegistry peerRegistry, int series, int families)
    {
        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(peerRegistry);
        (string Route, string Status)[] labels = LabelPairs(series / families);
        for (int family = 0; family < families; family++)
        {
            string name = $"bench_requests_{family}_total";
            Counter counter = aria.CreateCounter(name, "Requests served, by route and status.", "route", "status");
            counter.SeriesLimit = int.MaxValue;
            Prom.Counter peerCounter = peer.CreateCounter(name, "Requests served, by route and status.", ["route", "status"]);
            for (int i = 0; i < labels.Length; i++)
            {
                long value = (i * 7919L) % 100_000;
                counter.WithLabels(labels[i].Route, labels[i].Status).Inc(value);
                peerCounter.WithLabels(labels[i].Route, labels[i].Status).Inc(value);
            }
        }
    }

    /// <summary>
    /// Labeled histogram families with <paramref name="series"/> series in all, with the request buckets, the same in
    /// both registries; each series gets <paramref name="observationsPerSeries"/> observations, taken in turn from
    /// <see cref="Observations"/> so that the series differ.
    /// </summary>
    public static void PopulateHistograms(MetricRegistry aria, Prom.CollectorRegistry peerRegistry, int series, int families, int observationsPerSeries)
    {
        Prom.MetricFactory peer = Prom.Metrics.WithCustomRegistry(peerRegistry);
        (string Route, string Status)[] labels = LabelPairs(series / families);
        int next = 0;
        for (int family = 0; family < families; family++)
        {
            string name = $"bench_request_{family}_seconds";
            Histogram histogram = aria.CreateHistogram(name, "Request duration, by route and status.", RequestBuckets, "route", "status");
            histogram.SeriesLimit = int.MaxValue;
            Prom.Histogram peerHistogram = peer.CreateHistogram(
                name, "Request duration, by route and status.", ["route", "status"], new Prom.HistogramConfiguration { Buckets = RequestBuckets });
            for (int i = 0; i < labels.Length; i++)
            {
                HistogramSeries ours = histogram.WithLabels(labels[i].Route, labels[i].Status);
                Prom.Histogram.Child theirs = peerHistogram.WithLabels(labels[i].Route, labels[i].Status);
                for (int observation = 0; observation < observationsPerSeries; observation++)
                {
                    double value = Observations[next++ % Observations.Length];
                    ours.Observe(value);
                    theirs.Observe(value);
                }
            }
        }
    }
}
