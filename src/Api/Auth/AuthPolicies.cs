using Microsoft.AspNetCore.Authorization;

namespace EventSeries.Api.Auth;

/// <summary>
/// Who may call what, before any grain is asked: every endpoint needs a person's token, except the
/// scanner endpoints (scan, verify, scannable, annul), which a scanner device's token may call too;
/// the grains then hold a device to its event, gates and (for annul) its own scans.
/// The role matrix itself is checked by the grains (<see cref="RolePolicy"/>).
/// </summary>
public static class AuthPolicies
{
    /// <summary>The policy of the scanner endpoints: a person or a scanner device.</summary>
    public const string PersonOrScanner = "person-or-scanner";

    public const string UserKind = "user";

    public const string DeviceKind = "device";

    public static void Configure(AuthorizationOptions options)
    {
        // No schemes named here: the authentication middleware has already run the default scheme,
        // and a policy that names one makes every request authenticate a second time.
        options.DefaultPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireClaim(TokenAuthenticationHandler.KindClaim, UserKind)
            .Build();
        options.AddPolicy(PersonOrScanner, p => p
            .RequireAuthenticatedUser()
            .RequireClaim(TokenAuthenticationHandler.KindClaim, UserKind, DeviceKind));
    }
}
