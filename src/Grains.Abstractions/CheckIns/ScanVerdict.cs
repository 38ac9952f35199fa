namespace EventSeries.CheckIns;

/// <summary>
/// The answer to a scan: ALLOW or DENY with a reason (see <see cref="ScanReasons"/>), a short
/// sentence for the gate screen, and the id of its row in the check-in log.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.checkin.verdict")]
public sealed record class ScanVerdict(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? Detail,
    [property: Id(3)] string Message,
    [property: Id(4)] Guid? SeriesId,
    [property: Id(5)] Guid? WristbandId,
    [property: Id(6)] string NfcId,
    [property: Id(7)] string? Category,
    [property: Id(8)] Guid GateId,
    [property: Id(9)] ScanDirection Direction,
    [property: Id(10)] Guid CheckinId,
    [property: Id(11)] DateTimeOffset At);
