// Latest results, 2026-11-30, 2 vCPUs, .NET 10.0.12 (docs/server.md, "Memory per idle connection"), from
//   flock -x /work/cpu.lock dotnet run -c Release --project benchmarks/Aria.Metrics.Benchmarks -- --idle-connections
// connected, nothing sent:  1000 connections: 58.1 MiB resident, 7.6 MiB managed (none: 48.0, 0.4);
//                           per connection 10.3 KiB resident, 7.4 KiB managed heap, no kernel TCP buffers
// kept alive after a scrape: 1000 connections: 59.9 MiB resident, 8.5 MiB managed (none: 48.4, 0.4);
//                           per connection 11.8 KiB resident, 8.3 KiB managed heap, no kernel TCP buffers
// How it works: this process starts itself again as the server (--idle-connections-server), so that the client's
// sockets and buffers are not counted, opens the connections from here, and asks the server for its memory.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aria.Metrics.Server;

namespace Aria.Metrics.Benchmarks;

/// <summary>
/// What 1,000 idle connections cost the metrics server, in a process of its own (a fresh one for each kind): resident
/// memory and managed heap with none, 500 and 1,000 connections that have sent nothing (they are closed at the
/// first-request deadline, so the figures are taken within it), then the same for connections kept alive after one
/// scrape each (the state that lasts, up to the keep-alive timeout). Bounded: about ten seconds.
/// </summary>
internal static class IdleConnectionMemory
{
    public const string ClientSwitch = "--idle-connections";
    public const string ServerSwitch = "--idle-connections-server";

    private const int Connections = 1000;

    /// <summary>The client side: for each kind of idle connection, a fresh server process, its figures printed.</summary>
    public static int Run()
    {
        Console.WriteLine($"Idle connections to the metrics server, {Environment.ProcessorCount} processors, .NET {Environment.Version}");
        MeasureOneServer("connected, nothing sent", scrapeFirst: false);
        MeasureOneServer("kept alive after one scrape", scrapeFirst: true);
        return 0;
    }

    private static void MeasureOneServer(string kind, bool scrapeFirst)
    {
        using Process server = StartServer();
        var clients = new List<RawClient>(Connections);
        try
        {
            int port = int.Parse(server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The server process said nothing."), CultureInfo.InvariantCulture);
            for (int i = 0; i < 20; i++)
            {
                using RawClient warmUp = RawClient.Open(port);
                warmUp.Scrape();
            }

            Figures none = Measure(server);
            var watch = Stopwatch.StartNew();
            Open(clients, port, Connections / 2, scrapeFirst);
            Figures half = Measure(server);
            Open(clients, port, Connections - clients.Count, scrapeFirst);
            Figures all = Measure(server);
            TimeSpan age = watch.Elapsed;

            Console.WriteLine();
            Console.WriteLine($"{kind} (the last figure taken {age.TotalSeconds:0.0} s after the first connection opened):");
            Console.WriteLine($"  {0,5} connections: {none}");
            Console.WriteLine($"  {Connections / 2,5} connections: {half}");
            Console.WriteLine($"  {Connections,5} connections: {all}");
            Console.WriteLine($"  per connection, 0 to {Connections}: {PerConnection(none, all, Connections)}");
            Console.WriteLine($"  per connection, {Connections / 2} to {Connections}: {PerConnection(half, all, Connections - (Connections / 2))}");
            server.StandardInput.WriteLine("quit");
            server.WaitForExit(10_000);
        }
        finally
        {
            foreach (RawClient client in clients)
            {
                client.Dispose();
            }

            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static void Open(List<RawClient> clients, int port, int count, bool scrapeFirst)
    {
        for (int i = 0; i < count; i++)
        {
            RawClient client = RawClient.Open(port);
            if (scrapeFirst)
            {
                client.Scrape();
            }

            clients.Add(client);
        }

        // Time for the server to accept and settle every connection before it is measured.
        Thread.Sleep(300);
    }

    /// <summary>The server side: serves a small registry, and answers "measure" on stdin with its figures.</summary>
    public static int Serve()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.CreateCounter("bench_requests_total", "Requests.", "route");
        for (int i = 0; i < 50; i++)
        {
            requests.WithLabels($"/route/{i}").Inc(i);
        }

        MetricsServer server = MetricsServer.StartAsync(registry, new MetricsServerOptions { Port = 0, BindAddress = "127.0.0.1" }).GetAwaiter().GetResult();
        Console.WriteLine(server.Port.ToString(CultureInfo.InvariantCulture));
        string? line;
        while ((line = Console.ReadLine()) is not null and not "quit")
        {
            long managed = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResidentBytes()} {managed} {Directory.GetFiles("/proc/self/fd").Length}"));
        }

        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    private static Process StartServer()
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under "dotnet run" the process path is the apphost; under "dotnet x.dll" it is dotnet itself.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(IdleConnectionMemory).Assembly.Location);
        }

        start.ArgumentList.Add(ServerSwitch);
        return Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
    }

    private static Figures Measure(Process server)
    {
        server.StandardInput.WriteLine("measure");
        string[] fields = (server.StandardOutput.ReadLine() ?? string.Empty).Split(' ');
        return new Figures(
            long.Parse(fields[0], CultureInfo.InvariantCulture),
            long.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            TcpSocketMemoryBytes());
    }

    private static string PerConnection(Figures before, Figures after, int connections) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(after.ResidentBytes - before.ResidentBytes) / (double)connections / 1024:0.0} KiB resident, " +
        $"{(after.ManagedBytes - before.ManagedBytes) / (double)connections / 1024:0.0} KiB managed heap, " +
        $"{(after.KernelTcpBytes - before.KernelTcpBytes) / (double)connections / 1024:0.0} KiB in kernel TCP buffers (machine-wide)");

    private static long ResidentBytes()
    {
        // "VmRSS:     123456 kB"
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..^"kB".Length].Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    private static long TcpSocketMemoryBytes()
    {
        // "TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1": mem is in pages, for the whole machine.
        string line = File.ReadLines("/proc/net/sockstat").First(l => l.StartsWith("TCP:", StringComparison.Ordinal));
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int mem = Array.IndexOf(fields, "mem");
        return long.Parse(fields[mem + 1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    private readonly record struct Figures(long ResidentBytes, long ManagedBytes, int OpenFiles, long KernelTcpBytes)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{ResidentBytes / 1048576.0,7:0.0} MiB resident, {ManagedBytes / 1048576.0,6:0.0} MiB managed heap, {OpenFiles,5} open files");
    }

    /// <summary>A blocking loopback connection that speaks just enough HTTP for one scrape.</summary>
    private sealed class RawClient : IDisposable
    {
        private readonly Socket _socket;

        private RawClient(Socket socket) => _socket = socket;

        public static RawClient Open(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
            socket.Connect(IPAddress.Loopback, port);
            return new RawClient(socket);
        }

        /// <summary>Sends a scrape and reads the answer through its Content-Length, leaving the connection open.</summary>
        public void Scrape()
        {
            _socket.Send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8);
            byte[] buffer = new byte[64 * 1024];
            int received = 0;
            int headerEnd;
            while ((headerEnd = buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8)) < 0)
            {
                received += Receive(buffer, received);
            }

            string head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
            string lengthLine = head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            int total = headerEnd + 4 + int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            while (received < total)
            {
                received += Receive(buffer, received);
            }
        }

        public void Dispose() => _socket.Dispose();

        private int Receive(byte[] buffer, int offset)
        {
            int read = _socket.Receive(buffer, offset, buffer.Length - offset, SocketFlags.None);
            return read > 0 ? read : throw new IOException("The server closed the connection mid-answer.");
        }
    }
}
