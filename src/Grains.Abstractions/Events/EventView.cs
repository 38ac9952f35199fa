namespace EventSeries.Events;

/// <summary>An event: the container of gates, categories, wristbands and series.</summary>
[GenerateSerializer, Immutable, Alias("es.event.view")]
public sealed record class EventView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Description,
    [property: Id(4)] string TimeZone,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);
