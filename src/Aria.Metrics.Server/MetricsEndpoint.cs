using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Aria.Metrics.Server;

/// <summary>
/// The scrape as an endpoint of an application's own pipeline (see <c>MapAriaMetrics</c>): routing, authorization and
/// the rest of the application's middleware have run by the time it is called. GET and HEAD go to the same
/// <see cref="ScrapeResponder"/> as the dedicated server's, on the request's own features; other methods get 405.
/// </summary>
internal sealed class MetricsEndpoint(ScrapeResponder scrape)
{
    public Task HandleAsync(HttpContext context)
    {
        IFeatureCollection features = context.Features;
        IHttpResponseFeature response = features.GetRequiredFeature<IHttpResponseFeature>();
        return ScrapeMethod.IsAnswered(context.Request.Method, out bool headersOnly)
            ? scrape.RespondAsync(features, features.GetRequiredFeature<IHttpRequestFeature>(), response, headersOnly)
            : ScrapeMethod.RefuseAsync(response);
    }
}
