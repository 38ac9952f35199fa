namespace EventSeries.Series;

/// <summary>
/// A recurring parent's background job and its progress. <see cref="Total"/> is how many instances
/// the parent had when the job was accepted; <see cref="Done"/> how many have been dealt with so
/// far, of which <see cref="Skipped"/> were left alone (already started or ended) and
/// <see cref="Failed"/> refused with an error.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.job")]
public sealed record class SeriesJobView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid SeriesId,
    [property: Id(2)] SeriesJobKind Kind,
    [property: Id(3)] SeriesJobStatus Status,
    [property: Id(4)] int Total,
    [property: Id(5)] int Done,
    [property: Id(6)] int Skipped,
    [property: Id(7)] int Failed,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] string? LastError);
