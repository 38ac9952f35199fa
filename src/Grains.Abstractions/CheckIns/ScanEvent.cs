namespace EventSeries.CheckIns;

/// <summary>
/// A logged scan as the metrics grain (and later the live feed and webhooks) receive it: published
/// on the <c>scans</c> stream, keyed by series, only after its log row committed.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.checkin.event")]
public sealed record class ScanEvent(
    [property: Id(0)] Guid CheckinId,
    [property: Id(1)] Guid SeriesId,
    [property: Id(2)] Guid? WristbandId,
    [property: Id(3)] Guid GateId,
    [property: Id(4)] string? Category,
    [property: Id(5)] ScanDirection Direction,
    [property: Id(6)] CheckinResult Result,
    [property: Id(7)] string Reason,
    [property: Id(8)] DateTimeOffset At,
    [property: Id(9)] int OccupancyDelta,
    [property: Id(10)] Guid? ActorId = null);

/// <summary>Scans of one series batched by one silo over a few milliseconds: one stream item.</summary>
[GenerateSerializer, Immutable, Alias("es.checkin.event-batch")]
public sealed record class ScanEventBatch([property: Id(0)] ImmutableArray<ScanEvent> Events);

/// <summary>Names of the scan stream.</summary>
public static class ScanStream
{
    /// <summary>The stream provider.</summary>
    public const string Provider = "scans";

    /// <summary>The stream namespace; the stream key is the series id.</summary>
    public const string Namespace = "scans";
}
