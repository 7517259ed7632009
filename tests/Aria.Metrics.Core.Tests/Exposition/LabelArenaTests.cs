using System.Globalization;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// The text formats copy label text from one array per family, made again when the family's positions change: every
/// scrape must still pair each value with its own labels while series are created, removed, compacted and brought back.
/// </summary>
public sealed class LabelArenaTests
{
    private readonly MetricRegistry _registry = new();

    private static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetrics)]
    public void Every_scrape_pairs_each_value_with_its_own_labels_while_series_come_and_go(ExpositionFormat format)
    {
        Gauge gauge = _registry.CreateGauge("g", "G.", "id");
        Counter counter = _registry.CreateCounter("c_total", "C.", "id");
        var live = new SortedSet<int>();
        var kept = new Dictionary<int, CounterSeries>();
        int next = 0;
        for (int round = 0; round < 30; round++)
        {
            for (int i = 0; i < 40; i++, next++)
            {
                gauge.WithLabels(Id(next)).Set(next);
                kept[next] = counter.WithLabels(Id(next));
                kept[next].Inc(next);
                live.Add(next);
            }

            // Removing every third live series empties positions and, past a quarter of them, compacts the array.
            foreach (int id in live.Where((_, index) => index % 3 == round % 3).ToArray())
            {
                Assert.True(gauge.Remove(Id(id)));
                Assert.True(counter.Remove(Id(id)));
                live.Remove(id);
            }

            // A removed counter updated through its kept handle comes back at the end of the positions.
            int back = kept.Keys.First(id => !live.Contains(id));
            kept[back].Inc(0.5);
            gauge.WithLabels(Id(back)).Set(back);
            live.Add(back);

            string[] lines = Render.Format(_registry, format).Split('\n');
            Assert.Equal(live.Select(id => $"g{{id=\"{Id(id)}\"}} {Id(id)}"), Sorted(lines, "g{"));
            Assert.Equal(
                live.Select(id => $"c_total{{id=\"{Id(id)}\"}} {(kept[id].Value).ToString(CultureInfo.InvariantCulture)}"),
                Sorted(lines, "c_total{"));
        }
    }

    private static IEnumerable<string> Sorted(string[] lines, string prefix) =>
        lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(line => int.Parse(line[(line.IndexOf('"', StringComparison.Ordinal) + 1)..line.LastIndexOf('"')], CultureInfo.InvariantCulture));
}
