using EventSeries.Errors;

namespace EventSeries.Security;

/// <summary>
/// Who is calling, and their role in each organization they belong to. The API builds it from the
/// bearer token and passes it into every grain call, so each grain checks access against the
/// organization it knows it belongs to, in the same call that does the work. A scanner device is a
/// caller too: <see cref="UserId"/> is the device's id, its one membership is its organization as
/// a member, and <see cref="Scanner"/> limits it to <see cref="Permission.Scan"/> at its event and gates.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.caller")]
public sealed record class Caller(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] ImmutableDictionary<Guid, Role> Memberships)
{
    /// <summary>Set when the caller is a scanner device: what it may reach.</summary>
    [Id(3)]
    public ScannerScope? Scanner { get; init; }

    /// <summary>
    /// Set when the caller's token is bound to one organization (minted for them by someone else,
    /// or minted by them with such a token): <see cref="Memberships"/> then holds that one only.
    /// Null for a personal token, which carries every membership of the person.
    /// </summary>
    [Id(4)]
    public Guid? BoundTo { get; init; }

    /// <summary>
    /// Set when the caller is an integration (a signed webhook delivery): its name, e.g.
    /// <c>integration:payments</c>. It holds no user id (audit entries name it as the actor) and may
    /// only do what <see cref="IntegrationPermissions"/> lists.
    /// </summary>
    [Id(5)]
    public string? Integration { get; init; }

    /// <summary>What an integration may do: read, and change tickets and wristbands.</summary>
    public static readonly ImmutableHashSet<Permission> IntegrationPermissions =
        [Permission.View, Permission.ViewPersonalData, Permission.ManageTickets, Permission.ManageWristbands];

    /// <summary>Whether the caller holds a personal token: a person's, not bound to one organization.</summary>
    public bool HasPersonalToken => Scanner is null && BoundTo is null;

    /// <summary>A scanner device as a caller.</summary>
    public static Caller ForDevice(ScannerScope scope, string name) =>
        new(scope.DeviceId, $"scanner {name}", ImmutableDictionary<Guid, Role>.Empty.Add(scope.OrganizationId, Role.Member)) { Scanner = scope, BoundTo = scope.OrganizationId };

    /// <summary>
    /// An integration of one organization as a caller, after its delivery's signature was checked
    /// with that organization's secret: a manager there, limited to <see cref="IntegrationPermissions"/>.
    /// </summary>
    public static Caller ForIntegration(Guid organizationId, string kind) =>
        new(Guid.Empty, $"integration:{kind}", ImmutableDictionary<Guid, Role>.Empty.Add(organizationId, Role.Manager))
        {
            Integration = $"integration:{kind}", BoundTo = organizationId,
        };

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
        if (Scanner is not null && permission != Permission.Scan)
        {
            throw DomainException.Forbidden("A scanner device may only scan.");
        }

        if (Integration is not null && !IntegrationPermissions.Contains(permission))
        {
            throw DomainException.Forbidden("An integration may only change tickets and wristbands.");
        }

        if (!RolePolicy.Allows(role, permission))
        {
            throw DomainException.Forbidden(
                $"Your role '{role.ToString().ToLowerInvariant()}' may not do this; it needs " +
                $"'{RolePolicy.MinimumRole(permission).ToString().ToLowerInvariant()}' or higher.");
        }
    }

    /// <summary>
    /// Throws unless the caller may scan at <paramref name="gateId"/> of <paramref name="eventId"/>:
    /// the scan permission in the event's organization, and for a device, its event and gates.
    /// </summary>
    public void AuthorizeScan(Guid organizationId, Guid eventId, Guid gateId)
    {
        Authorize(organizationId, Permission.Scan, "Event");
        if (Scanner is { } scope && !scope.Covers(eventId, gateId))
        {
            throw DomainException.Forbidden(scope.EventId != eventId
                ? "This scanner device is registered for another event."
                : "This scanner device is not registered for this gate.");
        }
    }
}
