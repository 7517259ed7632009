using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// An application's own authentication, as a test needs it: <c>Authorization: Bearer scraper</c> signs in a user with
/// the role <c>scraper</c>, <c>Bearer reader</c> one without it; anything else is anonymous.
/// </summary>
internal sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string ScraperRole = "scraper";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string user = header["Bearer ".Length..];
        Claim[] claims = user == ScraperRole
            ? [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, ScraperRole)]
            : [new Claim(ClaimTypes.Name, user)];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
