using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aria.Metrics.Server;

/// <summary>
/// Kestrel's options for a GET-only endpoint that idle and slow clients must not crowd out: no request bodies, small
/// headers, a short deadline for a connection's first request and for every request's headers, keep-alive long
/// enough for Prometheus, and a connection limit that takes thousands of sockets to reach.
/// </summary>
internal static class KestrelSetup
{
    /// <summary>How long a new connection has to deliver a whole first request before it is closed.</summary>
    public static readonly TimeSpan FirstRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a request's headers may take from their first byte: a client that trickles them is dropped.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection is kept between requests: longer than the scrape intervals in use (up to two minutes), so
    /// that Prometheus sends every scrape on the connection it already has.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(150);

    /// <summary>
    /// Connections served at once; beyond it, new connections are closed as they are accepted, while those already
    /// open (Prometheus' kept-alive one among them) go on being served. An idle connection costs the server about
    /// 8 KiB of managed heap and 10 to 12 KiB resident (docs/server.md), so the limit takes thousands of sockets to
    /// reach and bounds their cost to about 50 MiB.
    /// </summary>
    public const int MaxConnections = 4096;

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

        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;

        // Plain HTTP/1.1: what Prometheus speaks to http:// targets; HTTP/2 would only add state to bound.
        options.Listen(address, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            FirstRequestDeadline.Install(listen, FirstRequestTimeout);
        });
        return options;
    }
}
