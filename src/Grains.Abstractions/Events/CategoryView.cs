namespace EventSeries.Events;

/// <summary>A wristband category of an event (e.g. general, vip, staff), named by a short slug.</summary>
[GenerateSerializer, Immutable, Alias("es.event.category")]
public sealed record class CategoryView(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description);
