using System.Net;
using System.Text;

namespace Aria.Metrics.Server;

/// <summary>The page at <c>/</c>: a link to the exposition, as Prometheus exporters have, so a person with a browser finds it.</summary>
internal static class LandingPage
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>The page's bytes, encoded once per server.</summary>
    public static byte[] Render(string metricsPath)
    {
        string href = WebUtility.HtmlEncode(metricsPath);
        return Encoding.UTF8.GetBytes(
            $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Aria metrics</title></head>
            <body>
            <h1>Aria metrics</h1>
            <p><a href="{href}">{href}</a></p>
            </body>
            </html>

            """);
    }
}
