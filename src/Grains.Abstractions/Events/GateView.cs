namespace EventSeries.Events;

/// <summary>A gate of an event.</summary>
[GenerateSerializer, Immutable, Alias("es.event.gate")]
public sealed record class GateView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string Name,
    [property: Id(3)] GateKind Kind,
    [property: Id(4)] GateStatus Status,
    [property: Id(5)] ImmutableArray<string> AllowedCategories);
