using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Auth;

/// <summary>
/// Authenticates "Authorization: Bearer es_..." by the SHA-256 of the secret, and attaches the
/// <see cref="Caller"/> (a user with every membership, or a scanner device) to the request.
/// Failed attempts are counted per client address (the real client's behind a configured proxy, see
/// ForwardedHeadersSetup); past the limit they are answered 429, valid tokens never (see <see cref="AuthenticationThrottle"/>).
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerCache callers,
    AuthenticationThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The claim that tells a person's token from a scanner device's.</summary>
    public const string KindClaim = "es:kind";

    private static readonly object RetryAfterKey = new();

    // One principal per cached caller (the cache hands out the same Caller for a second), instead
    // of new claims on every scan. Nothing changes a principal after authentication.
    private static readonly ConditionalWeakTable<Caller, ClaimsPrincipal> Principals = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        var address = Context.Connection.RemoteIpAddress;
        string secret;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            secret = header["Bearer ".Length..].Trim();
        }
        else if (IsDashboard && BasicPassword(header) is { } password)
        {
            // A browser sends no bearer token by itself; for the dashboard it sends Basic
            // credentials it asked for, whose password is the token (the user name is ignored).
            secret = password;
        }
        else
        {
            return Failed(address, "Use the Bearer scheme.");
        }

        if (secret.Length is 0 or > 200)
        {
            return Failed(address, "Malformed token.");
        }

        var token = TokenKey.Of(secret);
        if (throttle.FailedRecently(token.Key))
        {
            return Failed(address, "Unknown, expired or revoked token.");
        }

        Caller? caller;
        using (await throttle.EnterLookupAsync(address, token.Key, Context.RequestAborted))
        {
            caller = await callers.FindAsync(token);
        }

        if (caller is null)
        {
            return Failed(address, "Unknown, expired or revoked token.", token.Key);
        }

        // Never refused by the throttle: a valid token is let in however many guesses came from here.
        throttle.RecordSuccess(token.Key);
        Context.Items[typeof(Caller)] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(Principals.GetValue(caller, PrincipalOf), SchemeName));
    }

    private static ClaimsPrincipal PrincipalOf(Caller caller) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, caller.UserId.ToString()),
            new Claim(ClaimTypes.Name, caller.DisplayName),
            new Claim(KindClaim, caller.Scanner is null ? AuthPolicies.UserKind : AuthPolicies.DeviceKind),
        ],
        SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RetryAfterKey] is TimeSpan retryAfter)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }

        Response.Headers.WWWAuthenticate = IsDashboard ? "Basic realm=\"EventSeries dashboard (password: your token)\", charset=\"UTF-8\"" : "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    private bool IsDashboard => Request.Path.StartsWithSegments(DashboardAccess.Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>The password of "Basic base64(user:password)", or null when the header is not that.</summary>
    private static string? BasicPassword(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var encoded = header["Basic ".Length..].Trim();
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, written);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..].Trim();
    }

    /// <summary>Counts the failure; from an address already over the limit it answers 429 with Retry-After instead of 401.</summary>
    private AuthenticateResult Failed(System.Net.IPAddress? address, string why, string? tokenKey = null)
    {
        if (throttle.IsBlocked(address, out var retryAfter))
        {
            Context.Items[RetryAfterKey] = retryAfter;
            why = "Too many failed authentications from this address.";
        }

        throttle.RecordFailure(address, tokenKey);
        return AuthenticateResult.Fail(why);
    }
}
