using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Demo;

/// <summary>
/// A stand-in for the model providers: a real HTTP endpoint on 127.0.0.1 that the simulated engine calls through
/// <see cref="HttpClient"/>, as the engine calls its providers, so that the platform's own
/// <c>http.client.request.duration</c> (and ASP.NET Core's <c>http.server.request.duration</c>) have something to
/// measure. The caller says how long the model takes and what it answers; the stub only waits and answers.
/// </summary>
internal sealed class LlmStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LlmStub(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A client whose base address is the stub.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the stub on a free loopback port.</summary>
    public static async Task<LlmStub> StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/v1/models/{model}/complete", async (string model, int latencyMs, int status, int tokens) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(latencyMs, 0, 10_000)), CancellationToken.None).ConfigureAwait(false);
            return status == StatusCodes.Status200OK
                ? Results.Text(tokens.ToString(CultureInfo.InvariantCulture))
                : Results.StatusCode(status);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new LlmStub(app, new Uri(app.Urls.First() + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
