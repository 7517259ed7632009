using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>A metrics server on 127.0.0.1 and a free port, with an HTTP client that leaves gzip to the test.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(MetricsServer server, HttpClient client)
    {
        Server = server;
        Client = client;
    }

    public MetricsServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<RunningServer> StartAsync(
        MetricRegistry registry,
        Action<MetricsServerOptions>? configure = null,
        ILoggerFactory? loggerFactory = null)
    {
        var options = new MetricsServerOptions { Port = 0, BindAddress = "127.0.0.1" };
        configure?.Invoke(options);
        MetricsServer server = await MetricsServer.StartAsync(registry, options, loggerFactory);
        return new RunningServer(server, CreateClient(server.Port));
    }

    public static HttpClient CreateClient(int port) =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Sends a request with the given Accept and Accept-Encoding headers, verbatim; null leaves one out.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accept = null, string? acceptEncoding = null, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accept is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Accept", accept));
        }

        if (acceptEncoding is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding));
        }

        request.Headers.Authorization = authorization;
        return Client.SendAsync(request);
    }

    /// <summary>GETs the exposition and returns its status, content type and body.</summary>
    public async Task<Scrape> ScrapeAsync(string? accept = null, string path = "metrics")
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, accept);
        string body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        return new Scrape(response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>One scrape's outcome.</summary>
internal sealed record Scrape(HttpStatusCode Status, string? ContentType, string Body);
