using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// How long a scrape waits for the collect callbacks: the configured timeout, or less when the scraper says, in
/// <c>X-Prometheus-Scrape-Timeout-Seconds</c>, that it will give up sooner; a margin of that is kept for writing and
/// sending the body, so that the answer arrives before the scraper stops listening.
/// </summary>
internal static class ScrapeTimeout
{
    /// <summary>The header Prometheus (and agents built on its scrape code) sends with every scrape.</summary>
    public const string HeaderName = "X-Prometheus-Scrape-Timeout-Seconds";

    // Writing and gzipping a large registry takes tens of milliseconds; the rest is room for the network.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    /// <summary>The collect timeout for a scrape that sent <paramref name="header"/>; the configured one when absent or unreadable.</summary>
    public static TimeSpan For(StringValues header, TimeSpan configured)
    {
        // Prometheus writes the seconds as a plain decimal ("10", "2.5").
        if (header.Count != 1
            || !double.TryParse(header[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            || !(seconds > 0)
            || seconds >= configured.TotalSeconds + Margin.TotalSeconds)
        {
            return configured;
        }

        TimeSpan scraper = TimeSpan.FromSeconds(seconds);
        TimeSpan left = scraper - Margin;

        // A scraper with a very short timeout still gets half of it for the callbacks rather than nothing.
        TimeSpan half = scraper / 2;
        TimeSpan timeout = left > half ? left : half;
        return timeout < configured ? timeout : configured;
    }
}
