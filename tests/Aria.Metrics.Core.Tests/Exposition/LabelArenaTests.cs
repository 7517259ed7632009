using System.Globalization;
using System.Text.Json;
using Aria.Metrics.Exposition;
using Aria.Metrics.TestSupport;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// The text formats copy label text, and protobuf its encoded label pairs, from one array per family and format, made
/// again when the family's positions change: every scrape must still pair each value with its own labels while series
/// are created, removed, compacted and brought back, in whichever formats the family is scraped.
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

    [Fact]
    public async Task Protobuf_pairs_each_value_with_its_own_labels_while_series_come_and_go_and_text_scrapes_interleave()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id", "note");
        counter.SeriesLimit = 200;
        var live = new SortedSet<int>();
        var kept = new Dictionary<int, CounterSeries>();
        int next = 0;
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < 40; i++, next++)
            {
                kept[next] = counter.WithLabels(Id(next), Note(next));
                kept[next].Inc(next);
                live.Add(next);
            }

            foreach (int id in live.Where((_, index) => index % 3 == round % 3).ToArray())
            {
                Assert.True(counter.Remove(Id(id), Note(id)));
                live.Remove(id);
            }

            int back = kept.Keys.First(id => !live.Contains(id));
            kept[back].Inc(0.5);
            live.Add(back);

            // A text scrape between protobuf scrapes keeps its own arena; neither may serve the other's bytes.
            Assert.Contains($"c_total{{id=\"{Id(back)}\",note=\"{Note(back)}\"}}", Render.Text(_registry), StringComparison.Ordinal);
            JsonElement[] families = await ReferenceProtobuf.DecodeAsync(Render.Bytes(_registry, ExpositionFormat.Protobuf));

            JsonElement[] metrics = [.. ReferenceProtobuf.Family(families, "c_total").GetProperty("metric").EnumerateArray()];
            Assert.Equal(live.Count, metrics.Length);
            foreach (JsonElement metric in metrics)
            {
                Dictionary<string, string> labels = ReferenceProtobuf.LabelsOf(metric);
                int id = int.Parse(labels["id"], CultureInfo.InvariantCulture);
                Assert.Contains(id, live);
                Assert.Equal(Note(id), labels["note"]);
                Assert.Equal(kept[id].Value, ReferenceProtobuf.Number(metric.GetProperty("counter").GetProperty("value")));
            }
        }
    }

    [Fact]
    public async Task Protobuf_label_pairs_from_the_arena_carry_the_overflow_label_alone()
    {
        Counter counter = _registry.CreateCounter("c_total", "C.", "id", "note");
        counter.SeriesLimit = 3;
        for (int i = 0; i < 5; i++)
        {
            counter.WithLabels(Id(i), Note(i)).Inc();
        }

        JsonElement[] families = await ReferenceProtobuf.DecodeAsync(Render.Bytes(_registry, ExpositionFormat.Protobuf));

        JsonElement[] metrics = [.. ReferenceProtobuf.Family(families, "c_total").GetProperty("metric").EnumerateArray()];
        Assert.Equal(
            [$"id={Id(0)},note={Note(0)}", $"id={Id(1)},note={Note(1)}", $"{MetricFamily.OverflowLabelName}=true"],
            metrics.Select(metric => string.Join(',', ReferenceProtobuf.LabelsOf(metric).Select(l => $"{l.Key}={l.Value}"))));
        Assert.Equal(3, ReferenceProtobuf.Number(metrics[2].GetProperty("counter").GetProperty("value")));
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetrics)]
    [InlineData(ExpositionFormat.Protobuf)]
    public async Task Histogram_scrapes_pair_each_series_sum_and_count_with_its_own_labels_while_series_come_and_go(ExpositionFormat format)
    {
        Histogram histogram = _registry.CreateHistogram("h_seconds", "H.", [1, 10], "id", "note");
        var live = new SortedSet<int>();
        var kept = new Dictionary<int, HistogramSeries>();
        int next = 0;
        for (int round = 0; round < 8; round++)
        {
            for (int i = 0; i < 40; i++, next++)
            {
                kept[next] = histogram.WithLabels(Id(next), Note(next));
                kept[next].Observe(next);
                live.Add(next);
            }

            foreach (int id in live.Where((_, index) => index % 3 == round % 3).ToArray())
            {
                Assert.True(histogram.Remove(Id(id), Note(id)));
                live.Remove(id);
            }

            // Brought back through its handle with a second observation: sum 2 id + 1, count 2.
            int back = kept.Keys.First(id => !live.Contains(id));
            kept[back].Observe(back + 1);
            live.Add(back);

            // Each series' sum tells its id, its count how many observations it had.
            var seen = new Dictionary<int, (string Note, double Sum, long Count)>();
            if (format == ExpositionFormat.Protobuf)
            {
                JsonElement[] families = await ReferenceProtobuf.DecodeAsync(Render.Bytes(_registry, format));
                foreach (JsonElement metric in ReferenceProtobuf.Family(families, "h_seconds").GetProperty("metric").EnumerateArray())
                {
                    Dictionary<string, string> labels = ReferenceProtobuf.LabelsOf(metric);
                    JsonElement data = metric.GetProperty("histogram");
                    seen.Add(
                        int.Parse(labels["id"], CultureInfo.InvariantCulture),
                        (labels["note"], ReferenceProtobuf.Number(data.GetProperty("sample_sum")), (long)ReferenceProtobuf.Number(data.GetProperty("sample_count"))));
                }
            }
            else
            {
                string[] lines = Render.Format(_registry, format).Split('\n');
                foreach (int id in live)
                {
                    string labels = $"id=\"{Id(id)}\",note=\"{Note(id)}\"";
                    seen.Add(id, (
                        Note(id),
                        double.Parse(Assert.Single(lines, line => line.StartsWith($"h_seconds_sum{{{labels}}} ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture),
                        long.Parse(Assert.Single(lines, line => line.StartsWith($"h_seconds_bucket{{{labels},le=\"+Inf\"}} ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture)));
                }

                Assert.Equal(live.Count, lines.Count(line => line.StartsWith("h_seconds_count{", StringComparison.Ordinal)));
            }

            Assert.Equal(live, seen.Keys.Order());
            foreach (int id in live)
            {
                Assert.Equal(Note(id), seen[id].Note);
                Assert.Equal(kept[id].Sum, seen[id].Sum);
                Assert.Equal(kept[id].Count, seen[id].Count);
            }
        }
    }

    /// <summary>
    /// A label value of several lengths and scripts: multi-byte UTF-8, and every tenth one past 127 bytes, so that its
    /// encoded pair's length takes a two-byte varint.
    /// </summary>
    private static string Note(int i) => i % 10 == 0 ? new string('é', 70 + i) : i % 2 == 0 ? $"ünïcode-{i}" : $"日本{i}";

    private static IEnumerable<string> Sorted(string[] lines, string prefix) =>
        lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(line => int.Parse(line[(line.IndexOf('"', StringComparison.Ordinal) + 1)..line.LastIndexOf('"')], CultureInfo.InvariantCulture));
}
