namespace EventSeries.Series;

/// <summary>Everything needed to create a series in one call: its event, schedule, gates and limits.</summary>
[GenerateSerializer, Immutable, Alias("es.series.new")]
public sealed record class NewSeries(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] SeriesSpec Spec,
    [property: Id(2)] ImmutableArray<Guid> GateIds,
    [property: Id(3)] ImmutableArray<CategoryLimit> CategoryLimits);
