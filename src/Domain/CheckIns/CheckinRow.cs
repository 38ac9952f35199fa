using EventSeries.CheckIns;

namespace EventSeries.Domain.CheckIns;

/// <summary>
/// One row of the check-in log: what the access grain appends, what annulments and retried scan
/// ids read back, and the one place a row turns into the verdict a scanner gets or the event the
/// metrics stream carries.
/// </summary>
public sealed record CheckinRow(
    Guid Id,
    Guid OrganizationId,
    Guid EventId,
    Guid? SeriesId,
    Guid? WristbandId,
    string NfcId,
    string? Category,
    Guid GateId,
    ScanDirection Direction,
    CheckinResult Result,
    string Reason,
    string? Detail,
    string Message,
    Guid? ScanId,
    DateTimeOffset? ScannedAt,
    DateTimeOffset At,
    Guid? ActorUserId,
    int? PresenceSeq,
    int OccupancyDelta,
    int? CapacityShard,
    Guid? Annuls)
{
    /// <summary>Whether this row admitted someone in (an entry that an annulment may take back).</summary>
    public bool IsAdmittedEntry => Result == CheckinResult.Allowed && Direction == ScanDirection.In;

    /// <summary>The answer a scanner gets for this row (also when its scan id is retried).</summary>
    public ScanVerdict ToVerdict() => new(
        Result == CheckinResult.Allowed, Reason, Detail, Message, SeriesId, WristbandId, NfcId, Category, GateId, Direction, Id, At);

    /// <summary>The row as the scan stream carries it; only rows of a series are published.</summary>
    /// <summary>
    /// A row of no series (an unknown wristband, one assigned to no active series) as its gate's
    /// grain counts it: <see cref="ScanEvent.SeriesId"/> is <see cref="Guid.Empty"/>. Never published
    /// to a series' stream.
    /// </summary>
    public ScanEvent ToGateScanEvent() => new(
        Id, SeriesId ?? Guid.Empty, WristbandId, GateId, Category, Direction, Result, Reason, At, OccupancyDelta, ActorUserId);

    public ScanEvent ToScanEvent() => new(
        Id, SeriesId ?? throw new InvalidOperationException("Only rows of a series are published."), WristbandId, GateId, Category, Direction,
        Result, Reason, At, OccupancyDelta, ActorUserId);
}
