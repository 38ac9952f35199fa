using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Auth;

/// <summary>
/// Authenticates "Authorization: Bearer es_..." by the SHA-256 of the secret, and attaches the
/// <see cref="Caller"/> (user plus every membership) to the request.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerCache callers)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use the Bearer scheme.");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }

        var caller = await callers.FindAsync(secret);
        if (caller is null)
        {
            return AuthenticateResult.Fail("Unknown, expired or revoked token.");
        }

        Context.Items[typeof(Caller)] = caller;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, caller.UserId.ToString()), new Claim(ClaimTypes.Name, caller.DisplayName)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
