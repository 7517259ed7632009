using System.Buffers;
using System.Text;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.TestSupport;

/// <summary>Renders a registry to a string, the way a scrape would.</summary>
public static class Render
{
    public static string Text(MetricRegistry registry) => Format(registry, ExpositionFormat.PrometheusText);

    public static string OpenMetrics(MetricRegistry registry) => Format(registry, ExpositionFormat.OpenMetrics);

    public static string Format(MetricRegistry registry, ExpositionFormat format) => Encoding.UTF8.GetString(Bytes(registry, format));

    /// <summary>The body of a scrape in <paramref name="format"/>, as bytes (the protobuf format is binary).</summary>
    public static byte[] Bytes(MetricRegistry registry, ExpositionFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        registry.Write(buffer, format);
        return buffer.WrittenSpan.ToArray();
    }
}
