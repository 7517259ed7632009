using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// The scrape as an endpoint of an application's own pipeline (see <c>MapAriaMetrics</c>): routing, authorization and
/// the rest of the application's middleware have run by the time it is called. GET and HEAD go to the same
/// <see cref="ScrapeResponder"/> as the dedicated server's, on the request's own features; other methods get 405.
/// </summary>
internal sealed class MetricsEndpoint(ScrapeResponder scrape)
{
    private static readonly StringValues AllowValue = "GET, HEAD";

    public Task HandleAsync(HttpContext context)
    {
        // Case-sensitive, as HTTP says and as the dedicated server matches them: "get" is not GET.
        bool headersOnly = string.Equals(context.Request.Method, HttpMethods.Head, StringComparison.Ordinal);
        if (!headersOnly && !string.Equals(context.Request.Method, HttpMethods.Get, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = AllowValue;
            return Task.CompletedTask;
        }

        IFeatureCollection features = context.Features;
        return scrape.RespondAsync(
            features,
            features.GetRequiredFeature<IHttpRequestFeature>(),
            features.GetRequiredFeature<IHttpResponseFeature>(),
            headersOnly);
    }
}
