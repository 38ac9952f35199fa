namespace EventSeries.Events;

/// <summary>The editable fields of an event. <see cref="TimeZone"/> is an IANA id (e.g. Europe/Berlin).</summary>
[GenerateSerializer, Immutable, Alias("es.event.spec")]
public sealed record class EventSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string TimeZone);
