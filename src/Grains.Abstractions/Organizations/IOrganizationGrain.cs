using EventSeries.Security;

namespace EventSeries.Organizations;

/// <summary>
/// One organization (tenant), keyed by its id. The single writer of its members and tokens, so
/// rules such as "an admin may not create owners" are checked without races.
/// </summary>
[Alias("es.organization")]
public interface IOrganizationGrain : IGrainWithGuidKey
{
    /// <summary>Creates the organization with the caller as its first owner.</summary>
    [Alias("create")]
    Task<OrganizationView> CreateAsync(Caller caller, string name);

    /// <summary>The organization as the caller sees it.</summary>
    [Alias("get"), ReadOnly]
    Task<OrganizationView> GetAsync(Caller caller);

    /// <summary>Adds a new user with a role; only an owner may add owners.</summary>
    [Alias("add-member")]
    Task<MemberView> AddMemberAsync(Caller caller, NewMember member);

    /// <summary>Lists the members.</summary>
    [Alias("members"), ReadOnly]
    Task<ImmutableArray<MemberView>> GetMembersAsync(Caller caller);

    /// <summary>Issues a bearer token for a member; returns the secret once.</summary>
    [Alias("issue-token")]
    Task<IssuedToken> IssueTokenAsync(Caller caller, Guid userId, TokenRequest request);

    /// <summary>Lists a member's tokens (never their secrets).</summary>
    [Alias("tokens"), ReadOnly]
    Task<ImmutableArray<TokenView>> GetTokensAsync(Caller caller, Guid userId);

    /// <summary>Revokes a token of one of the organization's members.</summary>
    [Alias("revoke-token")]
    Task<TokenView> RevokeTokenAsync(Caller caller, Guid tokenId);

    /// <summary>Changes a member's role (admins below owner; owners anyone); the last owner stays owner.</summary>
    [Alias("change-role")]
    Task<MemberView> ChangeRoleAsync(Caller caller, Guid userId, Role role);

    /// <summary>Removes a member (same rules as changing roles); returns who was removed.</summary>
    [Alias("remove-member")]
    Task<MemberView> RemoveMemberAsync(Caller caller, Guid userId);

    /// <summary>Deletes the organization and everything it owns (owners only); returns the former members' ids.</summary>
    [Alias("delete")]
    Task<ImmutableArray<Guid>> DeleteAsync(Caller caller);
}
