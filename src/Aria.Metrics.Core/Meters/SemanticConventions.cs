namespace Aria.Metrics.Meters;

/// <summary>
/// The tags that the platform's own instruments may carry, from OpenTelemetry's semantic conventions, which ASP.NET
/// Core and <c>System.Net.Http</c> follow. A family's labels are fixed by its first measurement, and the platform's
/// first measurement often lacks a tag that later ones carry (a 404 has no <c>http.route</c>, a success no
/// <c>error.type</c>); for these instruments the labels are the union of that measurement's tags and these.
/// </summary>
internal static class SemanticConventions
{
    private static readonly string[] HttpClient = ["http.request.method", "http.response.status_code", "server.address", "server.port", "url.scheme", "network.protocol.version", "error.type"];

    private static readonly Dictionary<string, string[]> Tags = new(StringComparer.Ordinal)
    {
        ["http.server.request.duration"] = ["http.request.method", "http.response.status_code", "http.route", "url.scheme", "network.protocol.version", "error.type"],
        ["http.server.active_requests"] = ["http.request.method", "url.scheme"],
        ["http.client.request.duration"] = HttpClient,
        ["http.client.active_requests"] = ["http.request.method", "server.address", "server.port", "url.scheme"],
        ["http.client.open_connections"] = ["http.connection.state", "network.peer.address", "network.protocol.version", "server.address", "server.port", "url.scheme"],
        ["http.client.connection.duration"] = ["network.peer.address", "network.protocol.version", "server.address", "server.port", "url.scheme"],
        ["http.client.request.time_in_queue"] = ["http.request.method", "network.protocol.version", "server.address", "server.port", "url.scheme"],
        ["kestrel.connection.duration"] = ["network.transport", "network.type", "network.protocol.name", "network.protocol.version", "server.address", "server.port", "tls.protocol.version", "error.type"],
        ["aspnetcore.routing.match_attempts"] = ["http.route", "aspnetcore.routing.is_fallback", "aspnetcore.routing.match_status"],
        ["aspnetcore.diagnostics.exceptions"] = ["error.type", "aspnetcore.diagnostics.handler.name", "aspnetcore.diagnostics.exception.result"],
        ["dns.lookup.duration"] = ["dns.question.name", "error.type"],
    };

    /// <summary>The tag keys the instrument of this name may carry; empty for instruments the conventions do not cover.</summary>
    public static IReadOnlyList<string> TagsOf(string instrumentName) =>
        Tags.TryGetValue(instrumentName, out string[]? keys) ? keys : [];
}
