using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Aria.Metrics.Meters;
using FsCheck.Xunit;

namespace Aria.Metrics.Tests.Meters;

/// <summary>Laws of the bridge: whatever an instrument is called, and however many threads record, the result is valid.</summary>
public sealed partial class MeterBridgeProperties
{
    [Property(MaxTest = 500)]
    public bool Any_instrument_name_and_unit_give_a_valid_metric_name_or_none(string name, string unit, bool isGauge)
    {
        string? metric = PrometheusNames.MetricName(name ?? string.Empty, unit, isGauge);
        return metric is null || (MetricName().IsMatch(metric) && !metric.StartsWith("__", StringComparison.Ordinal));
    }

    [Property(MaxTest = 500)]
    public bool Any_tag_key_gives_a_valid_label_name_or_none(string key)
    {
        string? label = PrometheusNames.LabelName(key ?? string.Empty);
        return label is null || (LabelName().IsMatch(label) && !label.StartsWith("__", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Writers_on_every_core_while_scraping_lose_nothing_and_every_scrape_is_valid()
    {
        string meterName = "aria.tests.concurrent." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var registry = new MetricRegistry();
        using IDisposable bridge = registry.AddMeters(meterName);
        Counter<long> counter = meter.CreateCounter<long>("work.items");
        Histogram<double> histogram = meter.CreateHistogram<double>("work.duration", "s");
        const int PerWriter = 200_000;
        int writers = Math.Max(2, Environment.ProcessorCount);
        string[] shards = [.. Enumerable.Range(0, 50).Select(i => $"shard-{i}")];
        using var done = new CancellationTokenSource();
        Task[] tasks = [.. Enumerable.Range(0, writers).Select(w => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    var shard = new KeyValuePair<string, object?>("shard", shards[(i * 7 + w) % shards.Length]);
                    counter.Add(1, shard, new("writer", w));
                    histogram.Record(0.01, shard);
                }
            },
            TaskCreationOptions.LongRunning))];

        var scrapes = new List<string>();
        while (!tasks.All(task => task.IsCompleted))
        {
            scrapes.Add(Render.OpenMetrics(registry));
            await Task.Delay(20);
        }

        await Task.WhenAll(tasks);
        string final = Render.Text(registry);
        double total = Regex.Matches(final, @"^work_items_total\{[^}]*\} (\d+)$", RegexOptions.Multiline).Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((double)writers * PerWriter, total);
        Assert.Contains($"work_duration_seconds_count{{shard=\"shard-0\"}} ", final, StringComparison.Ordinal);
        Assert.Equal(writers * PerWriter, Regex.Matches(final, @"^work_duration_seconds_count\{[^}]*\} (\d+)$", RegexOptions.Multiline).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));

        // Every scrape taken while they wrote, judged in one parser run, and the last by promtool too.
        ValidatorResult judged = await ExternalValidators.OpenMetricsAsync(scrapes.TakeLast(20));
        Assert.True(judged.IsClean, judged.ToString());
        await ExternalValidators.AssertValidTextAsync(final);
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
