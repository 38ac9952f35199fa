namespace EventSeries.CheckIns;

/// <summary>Counts of scans, split by result.</summary>
[GenerateSerializer, Immutable, Alias("es.metrics.counts")]
public sealed record class ScanCounts(
    [property: Id(0)] long Total,
    [property: Id(1)] long Allowed,
    [property: Id(2)] long Denied);

/// <summary>Scans in one minute (UTC, start of the minute).</summary>
[GenerateSerializer, Immutable, Alias("es.metrics.minute")]
public sealed record class MinuteCounts(
    [property: Id(0)] DateTimeOffset Minute,
    [property: Id(1)] long Allowed,
    [property: Id(2)] long Denied);

/// <summary>Live metrics of one series, as of <see cref="ComputedAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("es.metrics.series")]
public sealed record class SeriesMetrics(
    [property: Id(0)] Guid SeriesId,
    [property: Id(1)] DateTimeOffset ComputedAt,
    [property: Id(2)] long TotalScans,
    [property: Id(3)] long Allowed,
    [property: Id(4)] long Denied,
    [property: Id(5)] ImmutableSortedDictionary<string, long> DeniedByReason,
    [property: Id(6)] long UniqueWristbands,
    [property: Id(7)] long Occupancy,
    [property: Id(8)] ImmutableSortedDictionary<Guid, ScanCounts> PerGate,
    [property: Id(9)] ImmutableSortedDictionary<string, ScanCounts> PerCategory,
    [property: Id(10)] ImmutableArray<MinuteCounts> PerMinute);
