namespace EventSeries.Series;

/// <summary>What an assignment did: how many were new, how many already assigned, and the categories after it.</summary>
[GenerateSerializer, Immutable, Alias("es.series.assignment-result")]
public sealed record class AssignmentResult(
    [property: Id(0)] int Assigned,
    [property: Id(1)] int AlreadyAssigned,
    [property: Id(2)] ImmutableArray<CategoryLimitView> Categories);
