using System.Globalization;
using Aria.Metrics.Exposition;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Aria.Metrics.Tests.Properties;

/// <summary>The laws of a histogram exposition: cumulative buckets never decrease and +Inf equals _count.</summary>
public sealed class HistogramProperties
{
    private static double[] Layout(NormalFloat[] raw)
    {
        double[] bounds = raw.Select(f => f.Get).Distinct().Order().ToArray();
        return bounds.Length == 0 ? [1] : bounds;
    }

    /// <summary>Per series (keyed by its labels), the buckets (le, cumulative count) and the count, from a text exposition.</summary>
    private static Dictionary<string, (List<(string Le, long Count)> Buckets, long Count)> Parse(string text, string name)
    {
        var series = new Dictionary<string, (List<(string Le, long Count)> Buckets, long Count)>();
        foreach (string line in text.Split('\n'))
        {
            long value = line.Length == 0 || line[0] == '#' ? 0 : long.TryParse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture, out long parsed) ? parsed : -1;
            if (line.StartsWith(name + "_bucket{", StringComparison.Ordinal))
            {
                int le = line.IndexOf("le=\"", StringComparison.Ordinal);
                string labels = line[(name.Length + 8)..le];
                int end = line.IndexOf('"', le + 4);
                if (!series.TryGetValue(labels, out var entry))
                {
                    series[labels] = entry = ([], -1);
                }

                entry.Buckets.Add((line[(le + 4)..end], value));
            }
            else if (line.StartsWith(name + "_count", StringComparison.Ordinal))
            {
                int brace = line.IndexOf('{', StringComparison.Ordinal);
                string labels = brace < 0 ? string.Empty : line[(brace + 1)..line.IndexOf('}', StringComparison.Ordinal)] + ",";
                series[labels] = (series[labels].Buckets, value);
            }
        }

        return series;
    }

    // At least one series: a parse that found nothing must not pass as consistent.
    private static bool IsConsistent(string text, string name, int bucketCount, bool countMayBeOmitted = false) =>
        Parse(text, name) is { Count: > 0 } parsed && parsed.Values.All(series =>
            series.Buckets.Count == bucketCount + 1
            && series.Buckets.Zip(series.Buckets.Skip(1)).All(pair => pair.First.Count <= pair.Second.Count)
            && series.Buckets[^1].Le == "+Inf"
            && (series.Buckets[^1].Count == series.Count || (countMayBeOmitted && series.Count == -1)));

    [Property(MaxTest = 300)]
    public bool Buckets_are_cumulative_monotonic_and_exact_for_any_layout_and_observations(NormalFloat[] rawBounds, NormalFloat[] observations)
    {
        double[] bounds = Layout(rawBounds);
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("h", "H.", bounds);
        foreach (NormalFloat observation in observations)
        {
            histogram.Observe(observation.Get);
        }

        string text = Render.Format(registry, ExpositionFormat.PrometheusText);
        (List<(string Le, long Count)> buckets, long count) = Parse(text, "h")[string.Empty];
        bool exact = bounds.Select((bound, i) => buckets[i].Count == observations.Count(o => o.Get <= bound)).All(ok => ok);
        return IsConsistent(text, "h", bounds.Length)
            && exact
            && count == observations.Length
            && IsConsistent(Render.Format(registry, ExpositionFormat.OpenMetrics), "h", bounds.Length, countMayBeOmitted: bounds[0] < 0 || !(observations.Sum(o => o.Get) >= 0));
    }

    [Property(MaxTest = 15)]
    public bool Every_scrape_is_consistent_while_threads_observe(NormalFloat[] rawBounds, PositiveInt seed)
    {
        double[] bounds = Layout(rawBounds);
        var registry = new MetricRegistry();
        Histogram histogram = registry.CreateHistogram("h", "H.", bounds, "worker");
        HistogramSeries shared = histogram.WithLabels("shared");
        const int Writers = 3;
        const int PerWriter = 40_000;

        // Every bound exactly, something below the first and something in +Inf: each bucket gets traffic.
        double[] candidates = [.. bounds, bounds[0] - 1, double.MaxValue];
        using var done = new CancellationTokenSource();
        Task<bool> scraper = Task.Run(() =>
        {
            bool consistent = true;
            int scrapes = 0;
            while (!done.IsCancellationRequested || scrapes < 3)
            {
                consistent &= IsConsistent(Render.Text(registry), "h", bounds.Length);
                scrapes++;
            }

            return consistent;
        });

        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            var random = new Random(seed.Get + writer);
            HistogramSeries own = histogram.WithLabels($"w{writer}");
            for (int i = 0; i < PerWriter; i++)
            {
                double value = candidates[random.Next(candidates.Length)];
                shared.Observe(value);
                own.Observe(value);
            }
        });
        done.Cancel();
        bool allConsistent = scraper.GetAwaiter().GetResult();
        return allConsistent && shared.Count == Writers * PerWriter && histogram.WithLabels("w0").Count == PerWriter;
    }
}
