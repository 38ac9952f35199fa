namespace EventSeries.Series;

/// <summary>
/// The editable schedule and limits of a series. <see cref="Capacity"/> is the most people inside
/// at once; null means no limit. <see cref="Reentry"/> decides how often a wristband may enter.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.spec")]
public sealed record class SeriesSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt,
    [property: Id(4)] CheckInWindow Window,
    [property: Id(5)] int? Capacity,
    [property: Id(6)] ReentryPolicy Reentry = ReentryPolicy.Reentry);
