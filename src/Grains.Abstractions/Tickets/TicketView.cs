using EventSeries.Security;

namespace EventSeries.Tickets;

/// <summary>A ticket, with the wristband it was exchanged for (if any).</summary>
[GenerateSerializer, Immutable, Alias("es.ticket.view")]
public sealed record class TicketView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string ExternalId,
    [property: Id(4)] string Source,
    [property: Id(5)] string? HolderName,
    [property: Id(6)] string? HolderEmail,
    [property: Id(7)] string TicketType,
    [property: Id(8)] TicketStatus Status,
    [property: Id(9)] ImmutableArray<Guid> SeriesIds,
    [property: Id(10)] Guid? WristbandId,
    [property: Id(11)] string? NfcId,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt)
{
    /// <summary>This ticket as <paramref name="caller"/> may see it: without the holder's personal data for viewers.</summary>
    public TicketView For(Caller caller) =>
        caller.RoleIn(OrganizationId) is { } role && RolePolicy.Allows(role, Permission.ViewPersonalData)
            ? this
            : this with { HolderName = null, HolderEmail = null };
}
