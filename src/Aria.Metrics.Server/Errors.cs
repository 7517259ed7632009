using System.Net;

namespace Aria.Metrics.Server;

/// <summary>The server's exception messages, in one place.</summary>
internal static class Errors
{
    public static IOException PortInUse(IPAddress address, int port, Exception inner) => new(
        $"Cannot serve metrics on {address}:{port}: port {port} is already in use. Stop whatever holds it, or choose "
        + $"another port with the {MetricsServerOptions.PortEnvironmentVariable} environment variable.",
        inner);

    public static InvalidOperationException NotBound() =>
        new("Kestrel started but reported no bound address for the metrics endpoint.");

    public static InvalidOperationException NoConnectionHeartbeat() =>
        new("Kestrel gave the metrics endpoint's connection no heartbeat feature, which closing idle connections needs.");

    public static Microsoft.AspNetCore.Connections.ConnectionAbortedException NoRequestInTime() =>
        new("The connection sent no whole request in time.");

    public static string ConfigurationUnreadable(string detail) =>
        $"The \"{MetricsServerOptions.ConfigurationSection}\" configuration section could not be read: {detail}";
}
