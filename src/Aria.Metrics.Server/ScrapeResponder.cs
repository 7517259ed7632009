using System.IO.Pipelines;
using Aria.Metrics.Exposition;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// Answers a scrape: negotiates the format and the encoding, collects under the scrape's deadline (sharing a
/// collection already in flight), writes the whole body (through the compressor when gzipping) into a pooled buffer,
/// and only then answers: 200 with a Content-Length, or 500 when writing failed. Nothing is sent before the body is
/// whole, so a failure is never a cut connection, and a client that leaves mid-body costs the server only the copy.
/// </summary>
internal sealed class ScrapeResponder(MetricRegistry registry, bool enableCompression, TimeSpan collectTimeout, ILogger logger)
{
    // The body depends on both headers, so a cache must key on both; Vary is sent whether or not we compressed.
    private static readonly StringValues VaryValue = "Accept, Accept-Encoding";

    // Prometheus 2.42 gunzips only when Content-Encoding is exactly "gzip".
    private static readonly StringValues GzipValue = "gzip";

    private static readonly StringValues FailureType = "text/plain; charset=utf-8";
    private static readonly byte[] FailureBody = "The metrics could not be written; the server's log says why.\n"u8.ToArray();

    // One buffer kept between scrapes; scrapes that overlap take one of their own.
    private ResponseBuffer? _spareBuffer = new();

    public Task RespondAsync(IFeatureCollection context, IHttpRequestFeature request, IHttpResponseFeature response, bool headersOnly)
    {
        NegotiatedFormat negotiated = ContentNegotiation.Negotiate(request.Headers.Accept);
        ExpositionFormat format = negotiated.Format;
        bool gzip = enableCompression && AcceptEncoding.AllowsGzip(request.Headers.AcceptEncoding);

        response.StatusCode = 200;
        response.Headers.ContentType = negotiated.ContentType;
        response.Headers.Vary = VaryValue;
        if (gzip)
        {
            response.Headers.ContentEncoding = GzipValue;
        }

        if (headersOnly)
        {
            return Task.CompletedTask;
        }

        TimeSpan timeout = ScrapeTimeout.For(request.Headers[ScrapeTimeout.HeaderName], collectTimeout);
        CancellationToken aborted = context.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;
        ValueTask<bool> collect = registry.CollectAsync(timeout, aborted);
        IHttpResponseBodyFeature body = context.GetRequiredFeature<IHttpResponseBodyFeature>();
        return collect.IsCompletedSuccessfully
            ? WriteAsync(response, body, format, gzip)
            : CollectThenWriteAsync(collect, response, body, format, gzip, aborted);
    }

    private async Task CollectThenWriteAsync(
        ValueTask<bool> collect, IHttpResponseFeature response, IHttpResponseBodyFeature body, ExpositionFormat format, bool gzip, CancellationToken aborted)
    {
        try
        {
            await collect.ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (aborted.IsCancellationRequested)
        {
            // The scraper gave up and left; the collection goes on for the scrapes that share it.
            Log.ScrapeAborted(logger, exception);
            return;
        }

        await WriteAsync(response, body, format, gzip).ConfigureAwait(false);
    }

    private async Task WriteAsync(IHttpResponseFeature response, IHttpResponseBodyFeature body, ExpositionFormat format, bool gzip)
    {
        ResponseBuffer buffer = Interlocked.Exchange(ref _spareBuffer, null) ?? new ResponseBuffer();
        try
        {
            if (!TryWriteBody(buffer, format, gzip))
            {
                response.StatusCode = 500;
                response.Headers.ContentType = FailureType;
                response.Headers.ContentEncoding = StringValues.Empty;
                response.Headers.ContentLength = FailureBody.Length;
                await body.Writer.WriteAsync(FailureBody).ConfigureAwait(false);
                return;
            }

            // Started first, so that the body goes straight into the connection's pipe; before the start, Kestrel
            // would hold it in buffers of its own and copy it over at the first flush.
            response.Headers.ContentLength = buffer.Length;
            await body.StartAsync().ConfigureAwait(false);
            await buffer.CopyToAsync(body.Writer).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // Only a connection that went away fails a flush that nobody cancels: the client left, and Kestrel has
            // already dropped the rest of the body with the connection. Nothing for the application to report.
            Log.ScrapeAborted(logger, exception);
        }
        finally
        {
            buffer.Clear();
            Volatile.Write(ref _spareBuffer, buffer);
        }
    }

    private bool TryWriteBody(ResponseBuffer buffer, ExpositionFormat format, bool gzip)
    {
        try
        {
            if (gzip)
            {
                using var compressor = new GzipBufferWriter(buffer);
                registry.WriteWithoutCollecting(compressor, format);
                compressor.Complete();
            }
            else
            {
                registry.WriteWithoutCollecting(buffer, format);
            }

            return true;
        }
#pragma warning disable CA1031 // Whatever broke the body, the scraper gets a 500 and the server goes on serving.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ScrapeFailed(logger, exception);
            return false;
        }
    }
}
