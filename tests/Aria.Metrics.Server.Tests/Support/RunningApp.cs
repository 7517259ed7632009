using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// A real ASP.NET Core application (WebApplication on Kestrel) on 127.0.0.1 and a free port, whose endpoints the test
/// maps, with an HTTP client that leaves gzip to the test.
/// </summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningApp(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningApp> StartAsync(
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null,
        ILoggerProvider? logs = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RunningApp(app, RunningServer.CreateClient(new Uri(address).Port));
    }

    /// <summary>Sends a request with the given headers, verbatim; a null value leaves the header out.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string? Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach ((string name, string? value) in headers)
        {
            if (value is not null)
            {
                Assert.True(request.Headers.TryAddWithoutValidation(name, value));
            }
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
