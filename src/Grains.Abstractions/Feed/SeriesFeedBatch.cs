using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Series;

namespace EventSeries.Feed;

/// <summary>What a series' feed grain forwards at once: committed scans, committed transitions, fresh metrics, or gates whose state changed.</summary>
[GenerateSerializer, Immutable, Alias("es.feed.batch")]
public sealed record class SeriesFeedBatch(
    [property: Id(0)] Guid SeriesId,
    [property: Id(1)] ImmutableArray<ScanEvent> Scans,
    [property: Id(2)] ImmutableArray<SeriesTransition> Transitions,
    [property: Id(3)] SeriesFeedMetrics? Metrics,
    [property: Id(4)] ImmutableArray<SeriesFeedGate> Gates = default);

/// <summary>
/// A gate of the series as its gate grain sees it (the feed's <c>gate</c> event): open or closed,
/// jammed and why, scans and denials in the current minute, and the last scan's time.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.feed.gate")]
public sealed record class SeriesFeedGate(
    [property: Id(0)] Guid GateId,
    [property: Id(1)] Guid SeriesId,
    [property: Id(2)] string Name,
    [property: Id(3)] GateStatus Status,
    [property: Id(4)] bool Jammed,
    [property: Id(5)] string? JammedReason,
    [property: Id(6)] int ScansThisMinute,
    [property: Id(7)] int DeniedThisMinute,
    [property: Id(8)] DateTimeOffset? LastScanAt);

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
