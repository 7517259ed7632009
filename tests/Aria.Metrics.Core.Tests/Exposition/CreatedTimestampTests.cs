using System.Globalization;
using System.Text.Json;

namespace Aria.Metrics.Tests.Exposition;

/// <summary>
/// OpenMetrics <c>_created</c> samples: off by default (a Prometheus without its created-timestamp feature would store
/// each as a series), on when the registry says so, judged by the strict parser; and registration keeps their names free.
/// </summary>
public sealed class CreatedTimestampTests
{
    // Every _created sample the strict parser reads: [sample name, labels, value].
    private const string CreatedDump = """
        import sys, json
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
        out = []
        for family in parse(sys.stdin.buffer.read().decode('utf-8')):
            for s in family.samples:
                if s.name.endswith('_created'):
                    out.append([s.name, s.labels, s.value])
        sys.stdout.write(json.dumps(out))
        """;

    private static MetricRegistry Populated()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("requests_total", "Requests.", "method");
        requests.WithLabels("chat").Inc();
        requests.WithLabels("stream").Inc(2);
        registry.CreateHistogram("duration_seconds", "Duration.", [0.1, 1]).Observe(0.5);
        registry.CreateHistogram("offset_seconds", "Offsets, negative buckets.", [-1, 1]).Observe(-2);
        registry.CreateGauge("temperature_celsius", "Gauges have no created time.").Set(20);
        registry.CreateObservedCounter("cpu_seconds_total", "Observed counters do not know when their source started.").Set(3);
        return registry;
    }

    [Fact]
    public void Created_samples_are_off_by_default()
    {
        string openMetrics = Render.OpenMetrics(Populated());
        Assert.DoesNotContain("_created", openMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("_created", Render.Text(Populated()), StringComparison.Ordinal);
    }

    [Fact]
    public void When_enabled_every_counter_and_histogram_series_has_its_creation_time_and_the_strict_parser_agrees()
    {
        double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        MetricRegistry registry = Populated();
        double after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        registry.OpenMetricsCreatedSamples = true;

        (int exitCode, string output) = ExternalValidators.Run(ExternalValidators.Python, ["-c", CreatedDump], Render.OpenMetrics(registry));
        Assert.True(exitCode == 0, $"The strict OpenMetrics parser refused the exposition: {output}\n{Render.OpenMetrics(registry)}");
        JsonElement[] created = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();

        Assert.Equal(
            ["duration_seconds_created", "offset_seconds_created", "requests_created", "requests_created"],
            created.Select(c => c[0].GetString()).Order(StringComparer.Ordinal));
        Assert.All(created, c => Assert.InRange(c[2].GetDouble(), before - 0.001, after + 0.001));

        // Text 0.0.4 has no such samples whatever the setting, and stays lint-clean.
        Assert.Equal((0, string.Empty), ExternalValidators.PromtoolCheckMetrics(Render.Text(registry)));
    }

    [Fact]
    public void Created_samples_follow_their_series()
    {
        var registry = new MetricRegistry { OpenMetricsCreatedSamples = true };
        registry.CreateCounter("jobs_total", "Jobs.").Inc();
        string[] lines = Render.OpenMetrics(registry).Split('\n');
        int total = Array.FindIndex(lines, l => l.StartsWith("jobs_total ", StringComparison.Ordinal));
        Assert.StartsWith("jobs_created ", lines[total + 1], StringComparison.Ordinal);
        double seconds = double.Parse(lines[total + 1]["jobs_created ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Theory]
    [InlineData("counter first")]
    [InlineData("gauge first")]
    public void Registration_reserves_the_created_names_of_counters_and_histograms(string order)
    {
        var registry = new MetricRegistry();
        if (order == "counter first")
        {
            registry.CreateCounter("x_total", "X.");
            registry.CreateHistogram("h_seconds", "H.", [1]);
            Assert.Contains("'x_created'", Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("x_created", "Clash.")).Message, StringComparison.Ordinal);
            Assert.Contains("'h_seconds_created'", Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("h_seconds_created", "Clash.")).Message, StringComparison.Ordinal);
        }
        else
        {
            registry.CreateGauge("x_created", "First.");
            registry.CreateGauge("h_seconds_created", "First.");
            Assert.Throws<InvalidOperationException>(() => registry.CreateCounter("x_total", "X."));
            Assert.Throws<InvalidOperationException>(() => registry.CreateHistogram("h_seconds", "H.", [1]));
        }
    }
}
