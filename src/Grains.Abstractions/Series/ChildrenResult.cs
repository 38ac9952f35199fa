namespace EventSeries.Series;

/// <summary>What a change applied to a recurring parent's children did: changed, and left alone because they had started or ended.</summary>
[GenerateSerializer, Immutable, Alias("es.series.children-result")]
public sealed record class ChildrenResult(
    [property: Id(0)] int Changed,
    [property: Id(1)] int Skipped);
