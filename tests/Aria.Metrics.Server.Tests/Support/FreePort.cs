using System.Net;
using System.Net.Sockets;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>Free loopback ports, for processes that must be told their port up front.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
