using EventSeries.CheckIns;
using EventSeries.Series;

namespace EventSeries.Feed;

/// <summary>What a series' feed grain forwards at once: committed scans, committed transitions, or fresh metrics.</summary>
[GenerateSerializer, Immutable, Alias("es.feed.batch")]
public sealed record class SeriesFeedBatch(
    [property: Id(0)] Guid SeriesId,
    [property: Id(1)] ImmutableArray<ScanEvent> Scans,
    [property: Id(2)] ImmutableArray<SeriesTransition> Transitions,
    [property: Id(3)] SeriesFeedMetrics? Metrics);

/// <summary>The headline numbers of a series' metrics, as the live feed sends them.</summary>
[GenerateSerializer, Immutable, Alias("es.feed.metrics")]
public sealed record class SeriesFeedMetrics(
    [property: Id(0)] Guid SeriesId,
    [property: Id(1)] DateTimeOffset ComputedAt,
    [property: Id(2)] long TotalScans,
    [property: Id(3)] long Allowed,
    [property: Id(4)] long Denied,
    [property: Id(5)] long UniqueWristbands,
    [property: Id(6)] long Occupancy)
{
    public static SeriesFeedMetrics From(SeriesMetrics m) =>
        new(m.SeriesId, m.ComputedAt, m.TotalScans, m.Allowed, m.Denied, m.UniqueWristbands, m.Occupancy);
}
