using Microsoft.AspNetCore.Authorization;

namespace EventSeries.Api.Auth;

/// <summary>
/// The Orleans dashboard (section <c>EventSeries:Dashboard</c>) shows the whole cluster: every
/// organization's grains, calls and silos. So it is not for any organization's owner, only for the
/// owners and admins of the one organization that runs the system, named here; unset, there is no
/// dashboard (and no profiling of grain calls for it).
/// </summary>
public sealed class DashboardAccess
{
    public const string Section = "EventSeries:Dashboard";

    /// <summary>The operators' organization: its owners and admins may open <c>/dashboard</c>.</summary>
    public Guid? OrganizationId { get; set; }

    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/dashboard";

    /// <summary>The authorization policy of the dashboard.</summary>
    public const string Policy = "dashboard";

    /// <summary>Whether a dashboard is configured, read from configuration before the host is built.</summary>
    public static Guid? ConfiguredOrganization(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DashboardAccess>()?.OrganizationId;

    /// <summary>A person's token of an owner or admin of <paramref name="operators"/>.</summary>
    public static void AddPolicy(AuthorizationOptions options, Guid operators) =>
        options.AddPolicy(Policy, p => p
            .RequireAuthenticatedUser()
            .RequireClaim(TokenAuthenticationHandler.KindClaim, AuthPolicies.UserKind)
            .RequireAssertion(context =>
                context.Resource is HttpContext http
                && http.Items[typeof(Caller)] is Caller caller
                && caller.RoleIn(operators) is Role.Owner or Role.Admin));
}
