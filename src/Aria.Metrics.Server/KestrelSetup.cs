using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aria.Metrics.Server;

/// <summary>Kestrel's options for a GET-only endpoint: no request bodies, small headers, bounded connections and waits.</summary>
internal static class KestrelSetup
{
    public static KestrelServerOptions Create(IPAddress address, int port)
    {
        var options = new KestrelServerOptions
        {
            // Tells a scanner nothing about what runs here.
            AddServerHeader = false,
            AllowSynchronousIO = false,
        };

        KestrelServerLimits limits = options.Limits;

        // Nothing served here reads a body, and Kestrel will not drain one past this limit: a client that sends a
        // body anyway gets its answer and then a closed connection, and the body is never buffered.
        limits.MaxRequestBodySize = 0;

        // Prometheus sends a handful of short headers; room is left for browsers and a long bearer token (a JWT).
        limits.MaxRequestLineSize = 4 * 1024;
        limits.MaxRequestHeadersTotalSize = 16 * 1024;
        limits.MaxRequestHeaderCount = 64;
        limits.MaxRequestBufferSize = 32 * 1024;

        // A few Prometheus servers, an agent or two and a person: far below this. Beyond it, connections are refused.
        limits.MaxConcurrentConnections = 100;
        limits.MaxConcurrentUpgradedConnections = 0;

        // A client that trickles its headers is dropped early; kept-alive connections outlive the common scrape
        // intervals (up to a minute or two), so Prometheus reuses one connection per target.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(150);

        // Plain HTTP/1.1: what Prometheus speaks to http:// targets; HTTP/2 would only add state to bound.
        options.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);
        return options;
    }
}
