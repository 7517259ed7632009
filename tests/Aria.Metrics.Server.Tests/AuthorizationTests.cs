using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aria.Metrics.Server.Tests.Support;

namespace Aria.Metrics.Server.Tests;

/// <summary>Basic auth and bearer tokens, as Prometheus scrape configs send them.</summary>
public sealed class AuthorizationTests
{
    private const string User = "prometheus";
    private const string Password = "s3cret:with:colons ✓";
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl";

    [Fact]
    public async Task Basic_auth_accepts_the_right_credentials_only()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small(), o =>
        {
            o.BasicAuthUsername = User;
            o.BasicAuthPassword = Password;
        });

        using HttpResponseMessage ok = await server.SendAsync(HttpMethod.Get, "metrics", authorization: Basic(User, Password));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await ExternalValidators.AssertValidTextAsync(await ok.Content.ReadAsStringAsync());

        foreach (AuthenticationHeaderValue? wrong in new[]
        {
            null,
            Basic(User, "wrong"),
            Basic("someone", Password),
            Basic(User, Password + "x"),
            Basic(User, Password[..^1]),
            new AuthenticationHeaderValue("Basic", "!!not base64!!"),
            new AuthenticationHeaderValue("Bearer", "prometheus"),
        })
        {
            using HttpResponseMessage refused = await server.SendAsync(HttpMethod.Get, "metrics", authorization: wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Basic", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
            Assert.Empty(await refused.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Bearer_token_accepts_the_right_token_only()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small(), o => o.BearerToken = Token);

        using HttpResponseMessage ok = await server.SendAsync(HttpMethod.Get, "metrics", NegotiationTests.Prometheus242, "gzip", new AuthenticationHeaderValue("Bearer", Token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using HttpResponseMessage lowercase = await server.SendAsync(HttpMethod.Get, "metrics", authorization: new AuthenticationHeaderValue("bearer", Token));
        Assert.Equal(HttpStatusCode.OK, lowercase.StatusCode);

        foreach (AuthenticationHeaderValue? wrong in new[]
        {
            null,
            new AuthenticationHeaderValue("Bearer", Token + "x"),
            new AuthenticationHeaderValue("Bearer", Token[..^1]),
            new AuthenticationHeaderValue("Bearer", string.Empty),
            Basic(User, Token),
        })
        {
            using HttpResponseMessage refused = await server.SendAsync(HttpMethod.Get, "metrics", authorization: wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
        }
    }

    [Fact]
    public async Task Either_scheme_works_when_both_are_configured_and_every_path_is_guarded()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small(), o =>
        {
            o.BasicAuthUsername = User;
            o.BasicAuthPassword = Password;
            o.BearerToken = Token;
        });

        using HttpResponseMessage basic = await server.SendAsync(HttpMethod.Get, "metrics", authorization: Basic(User, Password));
        using HttpResponseMessage bearer = await server.SendAsync(HttpMethod.Get, "metrics", authorization: new AuthenticationHeaderValue("Bearer", Token));
        using HttpResponseMessage anonymous = await server.SendAsync(HttpMethod.Get, "metrics");
        using HttpResponseMessage landing = await server.SendAsync(HttpMethod.Get, "/");
        using HttpResponseMessage unknown = await server.SendAsync(HttpMethod.Get, "elsewhere");

        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(["Basic", "Bearer"], anonymous.Headers.WwwAuthenticate.Select(c => c.Scheme).ToArray());
        Assert.Equal(HttpStatusCode.Unauthorized, landing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
