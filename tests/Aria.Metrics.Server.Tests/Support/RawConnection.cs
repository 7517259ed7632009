using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// One TCP connection to the server, spoken to byte by byte: for clients that HttpClient will not impersonate (idle,
/// trickling, lowercase methods) and for proving that a connection is reused. Every read is bounded.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4 * 1024];
    private readonly MemoryStream _received = new();

    private RawConnection(Socket socket) => _socket = socket;

    public static async Task<RawConnection> OpenAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return new RawConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The client's port: the same one across requests means the connection was reused.</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    /// <summary>Sends a GET (or another method, spelled as given) and reads the whole answer.</summary>
    public async Task<RawResponse> RequestAsync(string path, string method = "GET", string? extraHeaders = null)
    {
        await SendAsync($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extraHeaders}\r\n");
        return await ReadResponseAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Reads one response: status line, headers, and a body of Content-Length bytes.</summary>
    public async Task<RawResponse> ReadResponseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd()) < 0)
        {
            await ReceiveSomeAsync(cancel.Token);
        }

        string head = Encoding.ASCII.GetString(_received.GetBuffer(), 0, headerEnd);
        string[] lines = head.Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        int length = headers.TryGetValue("Content-Length", out string? value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        int bodyStart = headerEnd + 4;
        while (_received.Length < bodyStart + length)
        {
            await ReceiveSomeAsync(cancel.Token);
        }

        byte[] body = _received.GetBuffer().AsSpan(bodyStart, length).ToArray();
        byte[] rest = _received.GetBuffer().AsSpan(bodyStart + length, (int)_received.Length - bodyStart - length).ToArray();
        _received.SetLength(0);
        _received.Write(rest);
        return new RawResponse(status, headers, body);
    }

    /// <summary>Waits for the server to close (or reset) the connection; how long it took, or null when it stayed open.</summary>
    public async Task<TimeSpan?> WaitForCloseAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancel.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }

        return watch.Elapsed;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _received.Dispose();
    }

    private async Task ReceiveSomeAsync(CancellationToken cancellationToken)
    {
        int read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection before the whole answer arrived.");
        }

        _received.Write(_buffer, 0, read);
    }

    private int IndexOfHeaderEnd() => _received.GetBuffer().AsSpan(0, (int)_received.Length).IndexOf("\r\n\r\n"u8);
}

/// <summary>An answer read off a <see cref="RawConnection"/>.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
