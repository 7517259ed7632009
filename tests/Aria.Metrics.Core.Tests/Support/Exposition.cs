using System.Buffers;
using System.Text;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.Tests.Support;

/// <summary>Renders a registry to a string, the way a scrape would.</summary>
internal static class Exposition
{
    public static string Text(MetricRegistry registry) => Render(registry, ExpositionFormat.PrometheusText);

    public static string OpenMetrics(MetricRegistry registry) => Render(registry, ExpositionFormat.OpenMetrics);

    public static string Render(MetricRegistry registry, ExpositionFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        registry.Write(buffer, format);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
