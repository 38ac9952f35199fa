using EventSeries.Organizations;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/organizations.</summary>
public sealed class CreateOrganizationRequest
{
    public string? Name { get; init; }
}

/// <summary>Body of POST /api/organizations/{id}/members.</summary>
public sealed class AddMemberRequest
{
    public string? DisplayName { get; init; }

    public string? Email { get; init; }

    public Role? Role { get; init; }

    public NewMember ToMember()
    {
        var errors = new RequestErrors();
        var member = new NewMember(errors.Text(DisplayName, "displayName"), Email, errors.Value(Role, "role"));
        errors.ThrowIfAny();
        return member;
    }
}

/// <summary>Body of PUT /api/organizations/{id}/members/{userId}.</summary>
public sealed class ChangeRoleRequest
{
    public Role? Role { get; init; }
}

/// <summary>Body of POST /api/organizations/{id}/members/{userId}/tokens.</summary>
public sealed class IssueTokenRequest
{
    public string? Name { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
