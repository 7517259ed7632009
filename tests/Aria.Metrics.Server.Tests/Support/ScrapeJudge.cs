using System.Text;
using Aria.Metrics.Exposition;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>Judges a scrape's body by the format its Content-Type names: the reference schema, the strict OpenMetrics parser, or promtool.</summary>
internal static class ScrapeJudge
{
    public static async Task AssertValidAsync(string? contentType, byte[] body)
    {
        if (contentType == ContentTypes.Protobuf)
        {
            Assert.NotEmpty(await ReferenceProtobuf.DecodeAsync(body));
            return;
        }

        bool openMetrics = contentType?.StartsWith("application/openmetrics-text", StringComparison.Ordinal) ?? false;
        await ExternalValidators.AssertValidAsync(Encoding.UTF8.GetString(body), openMetrics);
    }
}
