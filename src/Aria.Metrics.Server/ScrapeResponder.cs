using System.IO.Pipelines;
using Aria.Metrics.Exposition;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// Answers a scrape: negotiates the format and the encoding, then writes the registry straight into the response's
/// PipeWriter (through the compressor when gzipping) and flushes once. The body is complete before the first byte is
/// sent, so a client that leaves mid-body costs the server only that flush.
/// </summary>
internal sealed class ScrapeResponder(MetricRegistry registry, bool enableCompression, ILogger logger)
{
    // The body depends on both headers, so a cache must key on both; Vary is sent whether or not we compressed.
    private static readonly StringValues VaryValue = "Accept, Accept-Encoding";

    // Prometheus 2.42 gunzips only when Content-Encoding is exactly "gzip".
    private static readonly StringValues GzipValue = "gzip";

    public Task RespondAsync(IHttpRequestFeature request, IHttpResponseFeature response, IHttpResponseBodyFeature body, bool headersOnly)
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

        // Started first, so that the body goes straight into the connection's pipe as chunks; before the start,
        // Kestrel would hold it in buffers of its own and copy it over at the first flush.
        Task start = body.StartAsync(CancellationToken.None);
        return start.IsCompletedSuccessfully
            ? WriteBody(body.Writer, format, gzip)
            : StartThenWriteAsync(start, body.Writer, format, gzip);
    }

    private Task WriteBody(PipeWriter writer, ExpositionFormat format, bool gzip)
    {
        if (gzip)
        {
            using var compressor = new GzipBufferWriter(writer);
            registry.Write(compressor, format);
            compressor.Complete();
        }
        else
        {
            registry.Write(writer, format);
        }

        ValueTask<FlushResult> flush = writer.FlushAsync(CancellationToken.None);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : AwaitFlushAsync(flush);
    }

    private async Task StartThenWriteAsync(Task start, PipeWriter writer, ExpositionFormat format, bool gzip)
    {
        await start.ConfigureAwait(false);
        await WriteBody(writer, format, gzip).ConfigureAwait(false);
    }

    private async Task AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // Only a connection that went away fails a flush that nobody cancels: the client left, and Kestrel has
            // already dropped the rest of the body with the connection. Nothing for the application to report.
            Log.ScrapeAborted(logger, exception);
        }
    }
}
