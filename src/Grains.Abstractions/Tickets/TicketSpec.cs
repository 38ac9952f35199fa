namespace EventSeries.Tickets;

/// <summary>
/// A ticket's editable fields: its id in the system it came from (unique per event and
/// <paramref name="Source"/>), who holds it, its type (a wristband category of the event), the
/// series of the event it admits to, and its status.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.ticket.spec")]
public sealed record class TicketSpec(
    [property: Id(0)] string ExternalId,
    [property: Id(1)] string Source,
    [property: Id(2)] string? HolderName,
    [property: Id(3)] string? HolderEmail,
    [property: Id(4)] string TicketType,
    [property: Id(5)] ImmutableArray<Guid> SeriesIds,
    [property: Id(6)] TicketStatus Status);
