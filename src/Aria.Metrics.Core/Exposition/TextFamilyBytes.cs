using System.Text;

namespace Aria.Metrics.Exposition;

/// <summary>
/// Everything the two text formats write about a family itself, encoded to UTF-8 once, on the family's first text
/// scrape: its HELP and TYPE lines in each format, its sample names, and for a histogram the tail of every bucket line.
/// </summary>
internal sealed class TextFamilyBytes
{
    private TextFamilyBytes(MetricFamily family)
    {
        string help = family.Help;
        TextHeader = EncodeHeader(family.SampleName, Escaping.EscapeHelp(help, ExpositionFormat.PrometheusText), TextType(family.Type));
        OpenMetricsHeader = EncodeHeader(family.FamilyName, Escaping.EscapeHelp(help, ExpositionFormat.OpenMetrics), OpenMetricsType(family.Type));
        SampleName = Utf8(family.SampleName);
        CreatedName = Utf8((family is Histogram ? family.Name : family.FamilyName) + "_created");
        if (family is Histogram histogram)
        {
            BucketNameAndBrace = Utf8(family.Name + "_bucket{");
            SumName = Utf8(family.Name + "_sum");
            CountName = Utf8(family.Name + "_count");
            TextBucketTails = BucketTails(histogram.UpperBounds, NumberFormatter.FormatGo);
            OpenMetricsBucketTails = BucketTails(histogram.UpperBounds, NumberFormatter.FormatOpenMetricsCanonical);
        }
    }

    /// <summary>The HELP and TYPE lines of text 0.0.4, named after the samples.</summary>
    public byte[] TextHeader { get; }

    /// <summary>The HELP and TYPE lines of OpenMetrics, named after the family.</summary>
    public byte[] OpenMetricsHeader { get; }

    /// <summary>The main sample name: <c>_total</c> for counters, <c>_info</c> for infos, the name itself otherwise.</summary>
    public byte[] SampleName { get; }

    /// <summary>The OpenMetrics <c>_created</c> sample name: the family name's, or a histogram's own name's.</summary>
    public byte[] CreatedName { get; }

    /// <summary>A histogram's <c>name_bucket{</c>; empty for other families.</summary>
    public byte[] BucketNameAndBrace { get; } = [];

    /// <summary>A histogram's <c>name_sum</c>.</summary>
    public byte[] SumName { get; } = [];

    /// <summary>A histogram's <c>name_count</c>.</summary>
    public byte[] CountName { get; } = [];

    /// <summary>A histogram's bucket line tails from the <c>le</c> label on (<c>le="0.25"} </c>), one per bound and <c>+Inf</c>, in Go's number style.</summary>
    public byte[][] TextBucketTails { get; } = [];

    /// <summary>The same tails with OpenMetrics' canonical numbers (<c>le="1.0"</c>).</summary>
    public byte[][] OpenMetricsBucketTails { get; } = [];

    /// <summary>The family's bytes, encoded on first use. Two scrapes racing to encode both succeed; one copy is kept.</summary>
    public static TextFamilyBytes Of(MetricFamily family) => Volatile.Read(ref family.TextBytes) ?? Create(family);

    private static TextFamilyBytes Create(MetricFamily family)
    {
        var created = new TextFamilyBytes(family);
        return Interlocked.CompareExchange(ref family.TextBytes, created, null) ?? created;
    }

    private static string TextType(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Histogram => "histogram",
        _ => "gauge",
    };

    private static string OpenMetricsType(MetricType type) => type == MetricType.Info ? "info" : TextType(type);

    private static byte[] EncodeHeader(string name, string escapedHelp, string type)
    {
        // An empty help text is left out rather than written as an empty HELP line.
        string help = escapedHelp.Length == 0 ? string.Empty : $"# HELP {name} {escapedHelp}\n";
        return Escaping.StrictUtf8.GetBytes($"{help}# TYPE {name} {type}\n");
    }

    private static byte[][] BucketTails(ReadOnlySpan<double> upperBounds, Func<double, string> format)
    {
        var tails = new byte[upperBounds.Length + 1][];
        for (int i = 0; i < upperBounds.Length; i++)
        {
            tails[i] = Utf8($"le=\"{format(upperBounds[i])}\"}} ");
        }

        tails[^1] = "le=\"+Inf\"} "u8.ToArray();
        return tails;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
