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
        bool headersOnly = HttpMethods.IsHead(context.Request.Method);
        if (!headersOnly && !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = AllowValue;
            return Task.CompletedTask;
        }

        IFeatureCollection features = context.Features;
        return scrape.RespondAsync(
            features.GetRequiredFeature<IHttpRequestFeature>(),
            features.GetRequiredFeature<IHttpResponseFeature>(),
            features.GetRequiredFeature<IHttpResponseBodyFeature>(),
            headersOnly);
    }
}
