using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>The methods both hosts answer: GET, and HEAD for the headers alone; anything else gets 405.</summary>
internal static class ScrapeMethod
{
    private static readonly StringValues Allowed = "GET, HEAD";

    /// <summary>
    /// Whether <paramref name="method"/> is GET or HEAD (<paramref name="headersOnly"/>). Methods are case-sensitive
    /// (RFC 9110, 9.1): "get" is not GET. Kestrel hands known methods over as the interned constants, so these
    /// compare references first.
    /// </summary>
    public static bool IsAnswered(string method, out bool headersOnly)
    {
        headersOnly = string.Equals(method, HttpMethods.Head, StringComparison.Ordinal);
        return headersOnly || string.Equals(method, HttpMethods.Get, StringComparison.Ordinal);
    }

    /// <summary>Answers 405 with the methods that are allowed.</summary>
    public static Task RefuseAsync(IHttpResponseFeature response)
    {
        response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        response.Headers.Allow = Allowed;
        return Task.CompletedTask;
    }
}
