namespace EventSeries.Series;

/// <summary>
/// What a request for instances did: how many children it created, how many the parent has now,
/// and the highest sequence number generated so far.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.instances-result")]
public sealed record class InstancesResult(
    [property: Id(0)] SeriesView Parent,
    [property: Id(1)] int Created,
    [property: Id(2)] int Children,
    [property: Id(3)] int GeneratedThrough);
