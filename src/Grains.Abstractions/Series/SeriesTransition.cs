namespace EventSeries.Series;

/// <summary>One logged lifecycle transition: from (null at creation), to, when, by whom and why.</summary>
[GenerateSerializer, Immutable, Alias("es.series.transition")]
public sealed record class SeriesTransition(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid SeriesId,
    [property: Id(2)] SeriesLifecycle? From,
    [property: Id(3)] SeriesLifecycle To,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] Guid? ActorUserId,
    [property: Id(6)] string Actor,
    [property: Id(7)] string? Reason);
