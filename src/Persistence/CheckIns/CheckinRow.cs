namespace EventSeries.Persistence.CheckIns;

/// <summary>One row of the check-in log, as the writer appends it.</summary>
public sealed record CheckinRow(
    Guid Id,
    Guid OrganizationId,
    Guid EventId,
    Guid? SeriesId,
    Guid? WristbandId,
    string NfcId,
    string? Category,
    Guid GateId,
    string Direction,
    string Result,
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
    Guid? Annuls);
