using System.Globalization;
using System.Text.Json;
using Aria.Metrics.Exposition;
using FsCheck.Fluent;

namespace Aria.Metrics.Tests.Properties;

/// <summary>
/// Any label value, help text and value survives our writer and an independent parser. Each run generates a fresh
/// corpus and judges it in one process call per format: Python's strict OpenMetrics parser for OpenMetrics;
/// <c>promtool check metrics</c> (valid and lint-clean) plus Python's text parser for the values of text 0.0.4.
/// </summary>
public sealed class RoundTripTests
{
    private const int CorpusSize = 400;

    private const string DumpScript = """
        import sys, json
        text = sys.stdin.buffer.read().decode('utf-8')
        if sys.argv[1] == 'om':
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
        else:
            from prometheus_client.parser import text_string_to_metric_families as parse
        out = []
        for f in parse(text):
            out.append({'name': f.name, 'type': f.type, 'help': f.documentation,
                        'samples': [[s.name, s.labels, repr(float(s.value))] for s in f.samples]})
        sys.stdout.write(json.dumps(out, ensure_ascii=True))
        """;

    private sealed record Corpus(
        MetricRegistry Registry,
        string Help,
        Dictionary<string, double> Gauges,
        Dictionary<string, double> Counters);

    private static Corpus Generate()
    {
        string[] labels = Generators.LabelValue.Sample(CorpusSize, 40).Distinct().ToArray();
        double[] values = Generators.AnyDouble.Sample(labels.Length, 100);
        double[] counts = Generators.CounterValue.Sample(labels.Length, 100);
        // After a word: the generator may give an empty or blank string, and a family without help text is a lint
        // problem for promtool (the writer leaves the HELP line out), not a round-trip failure.
        string help = "Level: " + Generators.LabelValue.Sample(1, 60)[0];

        var registry = new MetricRegistry();
        Gauge gauge = registry.CreateGauge("roundtrip_level", help, "value");
        Counter counter = registry.CreateCounter("roundtrip_events_total", "Counter of the corpus.", "value");
        var gauges = new Dictionary<string, double>();
        var counters = new Dictionary<string, double>();
        for (int i = 0; i < labels.Length; i++)
        {
            gauge.WithLabels(labels[i]).Set(values[i]);
            gauges[labels[i]] = values[i];
            counter.WithLabels(labels[i]).Inc(counts[i]);
            counters[labels[i]] = counts[i];
        }

        return new Corpus(registry, help, gauges, counters);
    }

    private static JsonElement Dump(string exposition, string format)
    {
        (int exitCode, string output) = ExternalValidators.Run(ExternalValidators.Python, ["-c", DumpScript, format], exposition);
        Assert.True(exitCode == 0, $"The {format} parser refused our exposition: {output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static double ParsePython(string repr) => repr switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(repr, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static void AssertSamples(JsonElement families, string family, string sample, Dictionary<string, double> expected)
    {
        JsonElement parsed = families.EnumerateArray().Single(f => f.GetProperty("name").GetString() == family);
        var seen = new Dictionary<string, double>();
        foreach (JsonElement entry in parsed.GetProperty("samples").EnumerateArray())
        {
            Assert.Equal(sample, entry[0].GetString());
            seen.Add(entry[1].GetProperty("value").GetString()!, ParsePython(entry[2].GetString()!));
        }

        Assert.Equal(expected.Count, seen.Count);
        foreach ((string label, double value) in expected)
        {
            Assert.True(seen.TryGetValue(label, out double actual), $"Label value {JsonSerializer.Serialize(label)} did not survive.");
            Assert.True(
                BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(actual) || (value == 0 && actual == 0) || (double.IsNaN(value) && double.IsNaN(actual)),
                $"{JsonSerializer.Serialize(label)}: wrote {value:R}, parsed back {actual:R}.");
        }
    }

    [Fact]
    public void Any_labels_help_and_values_survive_the_strict_OpenMetrics_parser()
    {
        Corpus corpus = Generate();
        JsonElement families = Dump(Render.OpenMetrics(corpus.Registry), "om");
        AssertSamples(families, "roundtrip_level", "roundtrip_level", corpus.Gauges);
        AssertSamples(families, "roundtrip_events", "roundtrip_events_total", corpus.Counters);
        JsonElement gauge = families.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "roundtrip_level");
        Assert.Equal(corpus.Help, gauge.GetProperty("help").GetString());
        Assert.Equal("counter", families.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "roundtrip_events").GetProperty("type").GetString());
    }

    [Fact]
    public void Any_labels_help_and_values_pass_promtool_cleanly_and_survive_the_text_parser()
    {
        Corpus corpus = Generate();
        string text = Render.Text(corpus.Registry);
        (int exitCode, string output) = ExternalValidators.PromtoolCheckMetrics(text);
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool: exit {exitCode}: {output}");

        JsonElement families = Dump(text, "text");
        AssertSamples(families, "roundtrip_level", "roundtrip_level", corpus.Gauges);
        AssertSamples(families, "roundtrip_events", "roundtrip_events_total", corpus.Counters);

        // Help texts are not compared here: Python's text parser splits HELP lines on whitespace and so strips it
        // from both ends. The strict OpenMetrics round trip above checks help texts exactly.
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetrics)]
    public void Histograms_with_any_bounds_and_labels_are_accepted(ExpositionFormat format)
    {
        var registry = new MetricRegistry();
        double[] bounds = [-1e-9, 0, 1e-5, 0.001, 0.5, 1, 2.5, 1e6, 1.5e21];
        Histogram histogram = registry.CreateHistogram("roundtrip_seconds", "Histogram of the corpus.", bounds, "value");
        string[] labels = Generators.LabelValue.Sample(100, 20).Distinct().ToArray();
        double[] observations = Generators.AnyDouble.Where(double.IsFinite).Select(v => Math.Abs(v) % 1e22).Sample(labels.Length * 5, 100);
        for (int i = 0; i < observations.Length; i++)
        {
            histogram.WithLabels(labels[i % labels.Length]).Observe(observations[i]);
        }

        string exposition = Render.Format(registry, format);
        (int exitCode, string output) = format == ExpositionFormat.OpenMetrics
            ? ExternalValidators.OpenMetricsParse(exposition)
            : ExternalValidators.PromtoolCheckMetrics(exposition);
        Assert.True(exitCode == 0 && output.Length == 0, $"exit {exitCode}: {output}");
    }
}
