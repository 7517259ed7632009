using System.Net;
using System.Net.Sockets;
using System.Text;
using Aria.Metrics.Exposition;
using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>The endpoint's edges: HEAD, other methods, other paths, the landing page, and Kestrel's limits.</summary>
public sealed class EndpointTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(SampleRegistries.Small());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_serves_text_with_its_content_type_and_no_server_header()
    {
        using HttpResponseMessage response = await _server.SendAsync(HttpMethod.Get, "metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentTypes.PrometheusText, response.Content.Headers.ContentType?.ToString());
        Assert.Empty(response.Headers.Server);
        await ExternalValidators.AssertValidTextAsync(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(NegotiationTests.Prometheus242, "gzip")]
    public async Task Head_sends_the_headers_of_a_get_and_no_body(string? accept, string? acceptEncoding)
    {
        using HttpResponseMessage head = await _server.SendAsync(HttpMethod.Head, "metrics", accept, acceptEncoding);
        using HttpResponseMessage get = await _server.SendAsync(HttpMethod.Get, "metrics", accept, acceptEncoding);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Content.Headers.ContentEncoding, head.Content.Headers.ContentEncoding);
        Assert.Equal(get.Headers.Vary, head.Headers.Vary);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Other_methods_get_405_with_allow(string method)
    {
        using HttpResponseMessage response = await _server.SendAsync(new HttpMethod(method), "metrics");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("Get")]
    [InlineData("head")]
    public async Task Methods_are_case_sensitive_so_a_lowercase_get_gets_405(string method)
    {
        using RawConnection connection = await RawConnection.OpenAsync(_server.Server.Port);

        RawResponse response = await connection.RequestAsync("/metrics", method);

        Assert.Equal(405, response.Status);
        Assert.Equal("GET, HEAD", response.Headers["Allow"]);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("metrics/")]
    [InlineData("Metrics")]
    [InlineData("metrics/extra")]
    [InlineData("favicon.ico")]
    public async Task Other_paths_get_404(string path)
    {
        using HttpResponseMessage response = await _server.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_query_string_does_not_change_the_path()
    {
        using HttpResponseMessage response = await _server.SendAsync(HttpMethod.Get, "metrics?name[]=up");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Landing_page_links_to_the_metrics_path()
    {
        using HttpResponseMessage response = await _server.SendAsync(HttpMethod.Get, "/");
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("<a href=\"/metrics\">", html, StringComparison.Ordinal);

        using HttpResponseMessage post = await _server.SendAsync(HttpMethod.Post, "/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Landing_page_follows_a_custom_path()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small(), o => o.Path = "/internal/metrics");

        string html = await server.Client.GetStringAsync("/");
        Scrape scrape = await server.ScrapeAsync(path: "internal/metrics");

        Assert.Contains("<a href=\"/internal/metrics\">", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, scrape.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.ScrapeAsync()).Status);
    }

    [Fact]
    public async Task A_request_body_is_never_read_and_the_server_keeps_serving()
    {
        // Kestrel closes a connection whose body was not read rather than drain it, so each body goes on a
        // connection of its own: a pooled one might be the connection being closed. The bodies are small enough to be
        // sent whole before the answer, which may close the connection under a client still uploading.
        using HttpClient postClient = RunningServer.CreateClient(_server.Server.Port);
        using var content = new StringContent("hello");
        using HttpResponseMessage post = await postClient.PostAsync("metrics", content);
        using HttpClient getClient = RunningServer.CreateClient(_server.Server.Port);
        using var get = new HttpRequestMessage(HttpMethod.Get, "metrics") { Content = new StringContent(new string('x', 1_000)) };
        using HttpResponseMessage getWithBody = await getClient.SendAsync(get);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, getWithBody.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.ScrapeAsync()).Status);
    }

    [Fact]
    public async Task Too_many_headers_are_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        for (int i = 0; i < 100; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Filler-{i}", "x");
        }

        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Http10_clients_get_a_whole_body()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _server.Server.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync("GET /metrics HTTP/1.0\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string response = await reader.ReadToEndAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        string body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        await ExternalValidators.AssertValidTextAsync(body);
    }
}
