using EventSeries.Errors;

namespace EventSeries.Security;

/// <summary>
/// Who is calling, and their role in each organization they belong to. The API builds it from the
/// bearer token and passes it into every grain call, so each grain checks access against the
/// organization it knows it belongs to, in the same call that does the work.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.caller")]
public sealed record class Caller(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] ImmutableDictionary<Guid, Role> Memberships)
{
    /// <summary>The caller's role in <paramref name="organizationId"/>, or null when not a member.</summary>
    public Role? RoleIn(Guid organizationId) =>
        Memberships.TryGetValue(organizationId, out var role) ? role : null;

    /// <summary>Whether the caller belongs to <paramref name="organizationId"/>.</summary>
    public bool BelongsTo(Guid organizationId) => Memberships.ContainsKey(organizationId);

    /// <summary>
    /// Throws unless the caller may perform <paramref name="permission"/> in the organization.
    /// Outside their organizations everything is "not found", so nothing leaks that it exists.
    /// </summary>
    public void Authorize(Guid organizationId, Permission permission, string resource)
    {
        var role = RoleIn(organizationId) ?? throw DomainException.NotFound(resource);
        if (!RolePolicy.Allows(role, permission))
        {
            throw DomainException.Forbidden(
                $"Your role '{role.ToString().ToLowerInvariant()}' may not do this; it needs " +
                $"'{RolePolicy.MinimumRole(permission).ToString().ToLowerInvariant()}' or higher.");
        }
    }
}
