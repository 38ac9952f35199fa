using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Organizations;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Endpoints;

/// <summary>Organizations (tenants), their members and members' tokens.</summary>
public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations").WithTags("Organizations");
        group.MapGet("/", ListAsync).WithName("ListOrganizations").WithSummary("The caller's organizations and their role in each.");
        group.MapPost("/", CreateAsync).WithName("CreateOrganization").WithSummary("Creates an organization; the caller becomes its owner.");
        group.MapGet("/{organizationId:guid}", GetAsync).WithName("GetOrganization").WithSummary("One organization.");
        group.MapGet("/{organizationId:guid}/members", ListMembersAsync).WithName("ListMembers").WithSummary("The organization's members.");
        group.MapPost("/{organizationId:guid}/members", AddMemberAsync).WithName("AddMember")
            .WithSummary("Adds a new user with a role (admins add members below owner; owners add anyone).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{organizationId:guid}/members/{userId:guid}/tokens", ListTokensAsync).WithName("ListTokens")
            .WithSummary("A member's tokens (never their secrets).");
        group.MapPost("/{organizationId:guid}/members/{userId:guid}/tokens", IssueTokenAsync).WithName("IssueToken")
            .WithSummary("Issues a bearer token; the secret is in this response only.");
        group.MapDelete("/{organizationId:guid}/tokens/{tokenId:guid}", RevokeTokenAsync).WithName("RevokeToken").WithSummary("Revokes a token.");
        group.MapPut("/{organizationId:guid}/members/{userId:guid}", ChangeRoleAsync).WithName("ChangeMemberRole")
            .WithSummary("Changes a member's role (admins manage members below owner; owners anyone; the last owner stays).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{organizationId:guid}/members/{userId:guid}", RemoveMemberAsync).WithName("RemoveMember")
            .WithSummary("Removes a member from the organization (same rules as changing roles).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{organizationId:guid}", DeleteAsync).WithName("DeleteOrganization")
            .WithSummary("Deletes the organization and everything it owns (owners only).");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<OrganizationView>>> ListAsync(HttpContext http, ReadQueries queries) =>
        TypedResults.Ok(await queries.ListOrganizationsAsync(http.Caller()));

    public static async Task<Created<OrganizationView>> CreateAsync(CreateOrganizationRequest request, HttpContext http, IGrainFactory grains, CallerCache callers)
    {
        var id = Guid.CreateVersion7();
        var caller = http.Caller();
        var created = await grains.GetGrain<IOrganizationGrain>(id).CreateAsync(caller, request.Name ?? "");

        // The creator's next request must see the new membership (read-your-writes), even before
        // the change notification arrives.
        callers.EvictUser(caller.UserId);
        return TypedResults.Created($"/api/organizations/{id}", created);
    }

    public static async Task<Ok<OrganizationView>> GetAsync(Guid organizationId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IOrganizationGrain>(organizationId).GetAsync(http.Caller()));

    public static async Task<Ok<ImmutableArray<MemberView>>> ListMembersAsync(Guid organizationId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IOrganizationGrain>(organizationId).GetMembersAsync(http.Caller()));

    public static async Task<Created<MemberView>> AddMemberAsync(Guid organizationId, AddMemberRequest request, HttpContext http, IGrainFactory grains)
    {
        var member = await grains.GetGrain<IOrganizationGrain>(organizationId).AddMemberAsync(http.Caller(), request.ToMember());
        return TypedResults.Created($"/api/organizations/{organizationId}/members/{member.UserId}", member);
    }

    public static async Task<Ok<ImmutableArray<TokenView>>> ListTokensAsync(Guid organizationId, Guid userId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IOrganizationGrain>(organizationId).GetTokensAsync(http.Caller(), userId));

    public static async Task<Created<IssuedToken>> IssueTokenAsync(Guid organizationId, Guid userId, IssueTokenRequest request, HttpContext http, IGrainFactory grains)
    {
        var issued = await grains.GetGrain<IOrganizationGrain>(organizationId)
            .IssueTokenAsync(http.Caller(), userId, new TokenRequest(request.Name, request.ExpiresAt));
        return TypedResults.Created($"/api/organizations/{organizationId}/members/{userId}/tokens", issued);
    }

    public static async Task<Ok<MemberView>> ChangeRoleAsync(Guid organizationId, Guid userId, ChangeRoleRequest request, HttpContext http, IGrainFactory grains, CallerCache callers)
    {
        var changed = await grains.GetGrain<IOrganizationGrain>(organizationId).ChangeRoleAsync(http.Caller(), userId, Required.Value(request.Role, "role"));
        callers.EvictUser(userId);
        return TypedResults.Ok(changed);
    }

    public static async Task<NoContent> RemoveMemberAsync(Guid organizationId, Guid userId, HttpContext http, IGrainFactory grains, CallerCache callers)
    {
        await grains.GetGrain<IOrganizationGrain>(organizationId).RemoveMemberAsync(http.Caller(), userId);
        callers.EvictUser(userId);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeleteAsync(Guid organizationId, HttpContext http, IGrainFactory grains, CallerCache callers)
    {
        foreach (var member in await grains.GetGrain<IOrganizationGrain>(organizationId).DeleteAsync(http.Caller()))
        {
            callers.EvictUser(member);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Ok<TokenView>> RevokeTokenAsync(Guid organizationId, Guid tokenId, HttpContext http, IGrainFactory grains, CallerCache callers)
    {
        var revoked = await grains.GetGrain<IOrganizationGrain>(organizationId).RevokeTokenAsync(http.Caller(), tokenId);
        callers.EvictUser(revoked.UserId);
        return TypedResults.Ok(revoked);
    }
}
