using EventSeries.CheckIns;
using EventSeries.Domain.CheckIns;

namespace EventSeries.Persistence.CheckIns;

/// <summary>
/// A <c>checkin_logs</c> row as Dapper reads it, and its one mapping to the domain's
/// <see cref="CheckinRow"/>. Every read of whole log rows selects <see cref="Columns"/>.
/// </summary>
internal sealed class CheckinLogRecord
{
    public const string Columns =
        """
        id, organization_id AS OrganizationId, event_id AS EventId, series_id AS SeriesId, wristband_id AS WristbandId, nfc_id AS NfcId,
        category, gate_id AS GateId, direction, result, reason, detail, message, scan_id AS ScanId, scanned_at AS ScannedAt, at,
        actor_user_id AS ActorUserId, presence_seq AS PresenceSeq, occupancy_delta AS OccupancyDelta, capacity_shard AS CapacityShard, annuls
        """;

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid EventId { get; set; }

    public Guid? SeriesId { get; set; }

    public Guid? WristbandId { get; set; }

    public string NfcId { get; set; } = "";

    public string? Category { get; set; }

    public Guid GateId { get; set; }

    public string Direction { get; set; } = "";

    public string Result { get; set; } = "";

    public string Reason { get; set; } = "";

    public string? Detail { get; set; }

    public string Message { get; set; } = "";

    public Guid? ScanId { get; set; }

    public DateTime? ScannedAt { get; set; }

    public DateTime At { get; set; }

    public Guid? ActorUserId { get; set; }

    public int? PresenceSeq { get; set; }

    public short OccupancyDelta { get; set; }

    public short? CapacityShard { get; set; }

    public Guid? Annuls { get; set; }

    public CheckinRow ToRow() => new(
        Id, OrganizationId, EventId, SeriesId, WristbandId, NfcId, Category, GateId, DbText.FromDb<ScanDirection>(Direction),
        DbText.FromDb<CheckinResult>(Result), Reason, Detail, Message, ScanId, DbText.Utc(ScannedAt), DbText.Utc(At), ActorUserId, PresenceSeq,
        OccupancyDelta, CapacityShard, Annuls);
}
