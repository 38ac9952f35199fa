using EventSeries.Security;

namespace EventSeries.CheckIns;

/// <summary>
/// One scan as the API hands it to the wristband's access grain. <see cref="SeriesId"/> is set by
/// the verify endpoint (check against that series only) and null for the scanner endpoint.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.checkin.scan")]
public sealed record class ScanCommand(
    [property: Id(0)] Caller Caller,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string NfcId,
    [property: Id(3)] Guid GateId,
    [property: Id(4)] ScanDirection Direction,
    [property: Id(5)] Guid? ScanId,
    [property: Id(6)] DateTimeOffset? ScannedAt,
    [property: Id(7)] Guid? SeriesId);
