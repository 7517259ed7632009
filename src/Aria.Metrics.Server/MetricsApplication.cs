using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// The whole HTTP application, straight on Kestrel's request features: no HttpContext, middleware or routing.
/// Credentials first (so that nothing, not even which paths exist, is told to a stranger), then the path, then the method.
/// </summary>
internal sealed class MetricsApplication : IHttpApplication<IFeatureCollection>
{
    private static readonly StringValues LandingType = LandingPage.ContentType;

    private readonly string _path;
    private readonly ScrapeResponder _scrape;
    private readonly ScrapeAuthorization? _authorization;
    private readonly byte[] _landingPage;

    public MetricsApplication(MetricsServerOptions options, ScrapeResponder scrape)
    {
        _path = options.Path;
        _scrape = scrape;
        _authorization = ScrapeAuthorization.Create(options);
        _landingPage = LandingPage.Render(options.Path);
    }

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    public Task ProcessRequestAsync(IFeatureCollection context)
    {
        FirstRequestDeadline.RequestArrived(context);
        IHttpRequestFeature request = context.GetRequiredFeature<IHttpRequestFeature>();
        IHttpResponseFeature response = context.GetRequiredFeature<IHttpResponseFeature>();

        if (_authorization is not null && !_authorization.IsAuthorized(request.Headers.Authorization))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = _authorization.Challenge;
            return Task.CompletedTask;
        }

        bool isScrape = string.Equals(request.Path, _path, StringComparison.Ordinal);
        if (!isScrape && request.Path is not "/")
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (!ScrapeMethod.IsAnswered(request.Method, out bool headersOnly))
        {
            return ScrapeMethod.RefuseAsync(response);
        }

        if (isScrape)
        {
            return _scrape.RespondAsync(context, request, response, headersOnly);
        }

        IHttpResponseBodyFeature body = context.GetRequiredFeature<IHttpResponseBodyFeature>();

        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = LandingType;
        response.Headers.ContentLength = _landingPage.Length;
        return headersOnly ? Task.CompletedTask : body.Writer.WriteAsync(_landingPage).AsTask();
    }
}
