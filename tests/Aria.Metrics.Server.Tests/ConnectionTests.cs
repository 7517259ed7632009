using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aria.Metrics.Server.Tests.Support;
using Xunit.Abstractions;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// Idle and slow clients cannot crowd out a scraper: a connection that sends no whole request is closed at a
/// deadline whatever its keep-alive state, trickled headers are dropped, the connection limit takes thousands of
/// sockets, and Prometheus' own kept-alive connection goes on serving. Real sockets on 127.0.0.1.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class ConnectionTests(ITestOutputHelper output)
{
    // Kestrel checks its timeouts, and ours, on a heartbeat once a second.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    // The other test assemblies run beside this one, and with 1.5 s of slack the trickle test failed once while builds
    // ran on both cores. The bounds still tell the deadline (5 s) from none (15 s and more).
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Fact(Timeout = 60_000)]
    public async Task A_connection_that_sends_nothing_is_closed_at_the_first_request_deadline()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        using RawConnection idle = await RawConnection.OpenAsync(server.Server.Port);

        TimeSpan? closedAfter = await idle.WaitForCloseAsync(KestrelSetup.FirstRequestTimeout + Heartbeat + Slack + Slack);

        Assert.NotNull(closedAfter);
        Assert.InRange(closedAfter.Value, KestrelSetup.FirstRequestTimeout - TimeSpan.FromMilliseconds(200), KestrelSetup.FirstRequestTimeout + Heartbeat + Slack);
        output.WriteLine($"An idle connection was closed after {closedAfter.Value.TotalSeconds:0.00} s.");
    }

    [Fact(Timeout = 60_000)]
    public async Task Trickled_headers_are_dropped_at_the_deadline_on_a_new_and_on_a_kept_alive_connection()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        using RawConnection fresh = await RawConnection.OpenAsync(server.Server.Port);
        using RawConnection keptAlive = await RawConnection.OpenAsync(server.Server.Port);
        Assert.Equal(200, (await keptAlive.RequestAsync("/metrics")).Status);

        // The kept-alive connection has had its first request: only the header deadline can drop it now.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task trickling = Task.WhenAll(TrickleAsync(fresh, stop.Token), TrickleAsync(keptAlive, stop.Token));
        Task<TimeSpan?> freshClosed = fresh.WaitForCloseAsync(TimeSpan.FromSeconds(15));
        Task<TimeSpan?> keptAliveClosed = keptAlive.WaitForCloseAsync(TimeSpan.FromSeconds(15));
        TimeSpan?[] closed = await Task.WhenAll(freshClosed, keptAliveClosed);
        await stop.CancelAsync();
        await trickling;

        TimeSpan latest = KestrelSetup.RequestHeadersTimeout + Heartbeat + Slack;
        Assert.True(closed[0] is { } a && a <= latest, $"The trickling new connection was closed after {closed[0]}.");
        Assert.True(closed[1] is { } b && b <= latest, $"The trickling kept-alive connection was closed after {closed[1]}.");
        output.WriteLine($"Trickling clients were dropped after {closed[0]!.Value.TotalSeconds:0.00} s (new) and {closed[1]!.Value.TotalSeconds:0.00} s (kept alive).");
    }

    [Fact(Timeout = 60_000)]
    public async Task Prometheus_keeps_one_connection_across_scrapes_spaced_past_the_first_request_deadline()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());

        // A client that pools one connection, as Prometheus does per target, and counts the connections it opens.
        int connects = 0;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{server.Server.Port}/") };
        using RawConnection raw = await RawConnection.OpenAsync(server.Server.Port);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("metrics")).StatusCode);
        Assert.Equal(200, (await raw.RequestAsync("/metrics")).Status);
        await Task.Delay(KestrelSetup.FirstRequestTimeout + Heartbeat + Slack);
        using HttpResponseMessage second = await client.GetAsync("metrics");
        RawResponse secondRaw = await raw.RequestAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, connects);
        Assert.Equal(200, secondRaw.Status);
        Assert.True(KestrelSetup.KeepAliveTimeout > TimeSpan.FromMinutes(2), "Keep-alive must outlast a two-minute scrape interval.");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_thousand_idle_connections_and_300_trickling_clients_do_not_keep_a_scrape_waiting()
    {
        (int idleCount, int tricklingCount) = FitToDescriptors(idle: 1000, trickling: 300);
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        int port = server.Server.Port;

        // Prometheus' connection, kept alive from a scrape before the crowd arrived.
        using RawConnection prometheus = await RawConnection.OpenAsync(port);
        Assert.Equal(200, (await prometheus.RequestAsync("/metrics")).Status);

        var crowdWatch = Stopwatch.StartNew();
        RawConnection[] idle = await OpenManyAsync(port, idleCount);
        RawConnection[] trickling = await OpenManyAsync(port, tricklingCount);
        TimeSpan crowdOpened = crowdWatch.Elapsed;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task trickle = Task.WhenAll(trickling.Select(c => TrickleAsync(c, stop.Token)));
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));

            var watch = Stopwatch.StartNew();
            using HttpClient fresh = RunningServer.CreateClient(port);
            using HttpResponseMessage scrape = await fresh.GetAsync("metrics");
            string body = await scrape.Content.ReadAsStringAsync();
            TimeSpan newScrape = watch.Elapsed;
            watch.Restart();
            string landing = await fresh.GetStringAsync("/");
            TimeSpan landingPage = watch.Elapsed;
            watch.Restart();
            RawResponse keptAlive = await prometheus.RequestAsync("/metrics");
            TimeSpan keptAliveScrape = watch.Elapsed;
            TimeSpan crowdAge = crowdWatch.Elapsed;

            output.WriteLine($"{idleCount} idle and {tricklingCount} trickling connections opened in {crowdOpened.TotalSeconds:0.00} s; " +
                             $"{FileDescriptors.Open()} descriptors open in the test process (limit {FileDescriptors.Limit()}).");
            output.WriteLine($"New scrape {newScrape.TotalMilliseconds:0} ms, landing page {landingPage.TotalMilliseconds:0} ms, " +
                             $"scrape on the kept-alive connection {keptAliveScrape.TotalMilliseconds:0} ms.");

            // Measured while the whole crowd was still connected: none of it is closed before its deadline.
            Assert.True(crowdAge < KestrelSetup.FirstRequestTimeout, $"The crowd took {crowdAge} to gather and measure; it was already being closed.");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            await ExternalValidators.AssertValidTextAsync(body);
            Assert.Contains("Aria metrics", landing, StringComparison.Ordinal);
            Assert.Equal(200, keptAlive.Status);
            Assert.True(newScrape < TimeSpan.FromSeconds(1), $"A new scrape took {newScrape}.");
            Assert.True(landingPage < TimeSpan.FromSeconds(1), $"The landing page took {landingPage}.");
            Assert.True(keptAliveScrape < TimeSpan.FromSeconds(1), $"A scrape on the kept-alive connection took {keptAliveScrape}.");

            // And then the crowd is gone, every connection closed at its deadline.
            TimeSpan?[] closed = await Task.WhenAll(idle.Concat(trickling).Select(c => c.WaitForCloseAsync(TimeSpan.FromSeconds(15))));
            Assert.All(closed, c => Assert.NotNull(c));
            output.WriteLine($"All {closed.Length} were closed within {crowdWatch.Elapsed.TotalSeconds:0.00} s of the first being opened.");
            Assert.Equal(200, (await prometheus.RequestAsync("/metrics")).Status);
        }
        finally
        {
            await stop.CancelAsync();
            await trickle;
            foreach (RawConnection connection in idle.Concat(trickling))
            {
                connection.Dispose();
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task At_the_connection_limit_new_connections_are_refused_and_the_kept_alive_scraper_is_still_served()
    {
        long needed = (2L * (KestrelSetup.MaxConnections + 10)) + FileDescriptors.Open() + 256;
        Assert.True(
            needed <= (FileDescriptors.Limit() ?? long.MaxValue),
            $"This test needs {needed} open files and the limit is {FileDescriptors.Limit()}: raise it (ulimit -n), as tests/run.sh does.");
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        int port = server.Server.Port;
        using RawConnection prometheus = await RawConnection.OpenAsync(port);
        Assert.Equal(200, (await prometheus.RequestAsync("/metrics")).Status);

        // The crowd takes every slot that Prometheus' connection left.
        RawConnection[] crowd = await OpenManyAsync(port, KestrelSetup.MaxConnections - 1);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            using RawConnection refused = await RawConnection.OpenAsync(port);
            TimeSpan? refusedAfter = await refused.WaitForCloseAsync(TimeSpan.FromSeconds(3));
            var watch = Stopwatch.StartNew();
            RawResponse scrape = await prometheus.RequestAsync("/metrics");
            TimeSpan took = watch.Elapsed;

            Assert.True(refusedAfter < TimeSpan.FromSeconds(1), $"A connection beyond the limit was closed after {refusedAfter}.");
            Assert.Equal(200, scrape.Status);
            Assert.True(took < TimeSpan.FromSeconds(1), $"The kept-alive scrape took {took}.");
            output.WriteLine($"{KestrelSetup.MaxConnections} connections open: one more was closed after {refusedAfter!.Value.TotalMilliseconds:0} ms; " +
                             $"the kept-alive scrape answered in {took.TotalMilliseconds:0} ms.");

            // The crowd sent nothing, so it is closed at its deadline, and new connections are served again.
            await Task.WhenAll(crowd.Select(c => c.WaitForCloseAsync(TimeSpan.FromSeconds(15))));
            using HttpClient fresh = RunningServer.CreateClient(port);
            Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("metrics")).StatusCode);
        }
        finally
        {
            foreach (RawConnection connection in crowd)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Sends a request one header byte at a time, four bytes a second, until the server closes or time is up.</summary>
    private static async Task TrickleAsync(RawConnection connection, CancellationToken cancellationToken)
    {
        const string headers = "X-Trickle: 0123456789abcdef\r\n";
        try
        {
            await connection.SendAsync("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (int i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                await Task.Delay(250, cancellationToken);
                await connection.SendAsync(headers[(i % headers.Length)..((i % headers.Length) + 1)]);
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped by the server, or the test is over.
        }
    }

    private static async Task<RawConnection[]> OpenManyAsync(int port, int count)
    {
        var connections = new List<RawConnection>(count);
        while (connections.Count < count)
        {
            int batch = Math.Min(50, count - connections.Count);
            connections.AddRange(await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => RawConnection.OpenAsync(port))));
        }

        return [.. connections];
    }

    /// <summary>
    /// The goal's sizes when the open-file limit allows them (two descriptors per loopback connection, both ends being
    /// in this process, and room for the rest); scaled down otherwise, and said so.
    /// </summary>
    private (int Idle, int Trickling) FitToDescriptors(int idle, int trickling)
    {
        long limit = FileDescriptors.Limit() ?? long.MaxValue;
        long needed = (2L * (idle + trickling)) + FileDescriptors.Open() + 256;
        if (needed <= limit)
        {
            return (idle, trickling);
        }

        double scale = (double)(limit - FileDescriptors.Open() - 256) / (2L * (idle + trickling));
        (int, int) fitted = ((int)(idle * scale), (int)(trickling * scale));
        output.WriteLine($"Open-file limit {limit}: scaled down to {fitted.Item1} idle and {fitted.Item2} trickling connections.");
        Assert.True(fitted.Item1 >= 200, $"The open-file limit ({limit}) leaves room for only {fitted.Item1} idle connections; raise it (ulimit -n).");
        return fitted;
    }
}
