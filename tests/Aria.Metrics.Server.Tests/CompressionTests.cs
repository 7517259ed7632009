using System.IO.Compression;
using System.Net;
using System.Text;
using Aria.Metrics.Exposition;
using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>gzip round trips: the compressed body is the plain body, and the headers are what Prometheus needs.</summary>
public sealed class CompressionTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(NegotiationTests.Prometheus242)]
    public async Task Gzip_body_decompresses_to_the_plain_body(string? accept)
    {
        // A registry nothing updates, so that two scrapes are byte for byte the same.
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Large(2_000, out _));

        using HttpResponseMessage plain = await server.SendAsync(HttpMethod.Get, "metrics", accept);
        using HttpResponseMessage gzipped = await server.SendAsync(HttpMethod.Get, "metrics", accept, "gzip");
        byte[] plainBody = await plain.Content.ReadAsByteArrayAsync();
        byte[] compressed = await gzipped.Content.ReadAsByteArrayAsync();

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzipped.Content.Headers.GetValues("Content-Encoding"));
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);
        Assert.Contains("Accept-Encoding", gzipped.Headers.Vary);
        Assert.Equal(plain.Content.Headers.ContentType, gzipped.Content.Headers.ContentType);
        Assert.True(compressed.Length < plainBody.Length / 4, $"{compressed.Length} compressed bytes for {plainBody.Length}");
        Assert.Equal(plainBody, Gunzip(compressed));
        await ExternalValidators.AssertValidAsync(Encoding.UTF8.GetString(Gunzip(compressed)), accept is not null);
    }

    [Fact]
    public async Task Protobuf_bodies_are_gzipped_as_text_is_and_decode_with_the_reference_schema()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Large(2_000, out _));

        using HttpResponseMessage plain = await server.SendAsync(HttpMethod.Get, "metrics", NegotiationTests.Prometheus3ProtobufFirst);
        using HttpResponseMessage gzipped = await server.SendAsync(HttpMethod.Get, "metrics", NegotiationTests.Prometheus3ProtobufFirst, "gzip");
        byte[] plainBody = await plain.Content.ReadAsByteArrayAsync();
        byte[] compressed = await gzipped.Content.ReadAsByteArrayAsync();

        Assert.Equal(ContentTypes.Protobuf, gzipped.Content.Headers.ContentType?.ToString());
        Assert.Equal(["gzip"], gzipped.Content.Headers.GetValues("Content-Encoding"));
        Assert.Equal(plainBody, Gunzip(compressed));
        Assert.True(compressed.Length < plainBody.Length / 2, $"{compressed.Length} compressed bytes for {plainBody.Length}");
        var family = Assert.Single(await ReferenceProtobuf.DecodeAsync(Gunzip(compressed)));
        Assert.Equal(2_000, family.GetProperty("metric").GetArrayLength());
    }

    [Fact]
    public async Task Small_bodies_are_gzipped_too()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Get, "metrics", NegotiationTests.Prometheus3, "gzip");

        Assert.Equal(ContentTypes.OpenMetrics + "; escaping=allow-utf-8", response.Content.Headers.ContentType?.ToString());
        string body = Encoding.UTF8.GetString(Gunzip(await response.Content.ReadAsByteArrayAsync()));
        await ExternalValidators.AssertValidOpenMetricsAsync(body);
    }

    [Theory]
    [InlineData("gzip;q=0")]
    [InlineData("identity")]
    [InlineData("br, deflate")]
    public async Task Refused_or_unknown_codings_get_the_plain_body(string acceptEncoding)
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Get, "metrics", null, acceptEncoding);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        await ExternalValidators.AssertValidTextAsync(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Compression_can_be_turned_off()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small(), o => o.EnableCompression = false);
        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Get, "metrics", null, "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        await ExternalValidators.AssertValidTextAsync(await response.Content.ReadAsStringAsync());
    }

    internal static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
