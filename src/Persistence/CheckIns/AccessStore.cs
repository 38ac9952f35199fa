using Dapper;
using EventSeries.CheckIns;
using EventSeries.Wristbands;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>
/// Reads access snapshots for many wristbands in one round trip (a cold gate opening activates
/// thousands of wristbands a second; one query each would swamp the database).
/// </summary>
public sealed class AccessStore(NpgsqlDataSource db)
{
    /// <summary>How long scan ids stay idempotent after a restart: a scanner retries within minutes, not days.</summary>
    public static readonly TimeSpan IdempotencyHorizon = TimeSpan.FromHours(24);

    public async Task<IReadOnlyDictionary<(Guid EventId, string NfcId), AccessSnapshot>> LoadAsync(
        IReadOnlyCollection<(Guid EventId, string NfcId)> keys, DateTimeOffset now)
    {
        var args = new
        {
            eventIds = keys.Select(k => k.EventId).ToArray(),
            nfcIds = keys.Select(k => k.NfcId).ToArray(),
            since = (now - IdempotencyHorizon).UtcDateTime,
        };
        const string keyJoin = "JOIN unnest(@eventIds, @nfcIds) AS k (event_id, nfc_id) ON x.event_id = k.event_id AND x.nfc_id = k.nfc_id";
        await using var connection = await db.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(
            $"""
            SELECT x.event_id AS EventId, x.nfc_id AS NfcId, x.id, x.organization_id AS OrganizationId, x.category, x.status FROM wristbands x {keyJoin};
            SELECT x.event_id AS EventId, x.nfc_id AS NfcId, a.series_id AS SeriesId FROM wristbands x {keyJoin}
                JOIN series_wristband_assignments a ON a.wristband_id = x.id AND a.is_active;
            SELECT x.event_id AS EventId, x.nfc_id AS NfcId, x.series_id AS SeriesId, max(x.presence_seq) AS LastSeq,
                   sum(x.occupancy_delta)::int AS Inside,
                   (count(*) FILTER (WHERE x.direction = 'in' AND x.result = 'allowed') - count(*) FILTER (WHERE x.result = 'annulled'))::int AS Entries
                FROM checkin_logs x {keyJoin} WHERE x.presence_seq IS NOT NULL GROUP BY x.event_id, x.nfc_id, x.series_id;
            SELECT x.event_id AS EventId, x.nfc_id AS NfcId, x.id, x.scan_id AS ScanId, x.result, x.reason, x.detail, x.message, x.series_id AS SeriesId,
                   x.wristband_id AS WristbandId, x.category, x.gate_id AS GateId, x.direction, x.at
                FROM checkin_logs x {keyJoin} WHERE x.scan_id IS NOT NULL AND x.at > @since AND x.result <> 'annulled';
            """,
            args);
        var wristbands = (await results.ReadAsync<WristbandRow>()).ToDictionary(r => (r.EventId, r.NfcId));
        var assigned = (await results.ReadAsync<AssignmentRow>()).ToLookup(r => (r.EventId, r.NfcId));
        var presence = (await results.ReadAsync<PresenceRow>()).ToLookup(r => (r.EventId, r.NfcId));
        var verdicts = (await results.ReadAsync<VerdictRow>()).ToLookup(r => (r.EventId, r.NfcId));
        return keys.Distinct().ToDictionary(k => k, k => new AccessSnapshot(
            wristbands.TryGetValue(k, out var w) ? new WristbandInfo(w.Id, w.OrganizationId, w.Category, DbText.FromDb<WristbandStatus>(w.Status)) : null,
            [.. assigned[k].Select(a => a.SeriesId)],
            presence[k].ToImmutableDictionary(p => p.SeriesId, p => new Presence(p.LastSeq, p.Inside, p.Entries)),
            verdicts[k].ToImmutableDictionary(v => v.ScanId, v => v.ToVerdict(k.NfcId))));
    }

    /// <summary>One log row by id (for annulments), or null.</summary>
    public async Task<CheckinRow?> FindCheckinAsync(Guid checkinId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<LogRow>(
            """
            SELECT id, organization_id AS OrganizationId, event_id AS EventId, series_id AS SeriesId, wristband_id AS WristbandId, nfc_id AS NfcId,
                   category, gate_id AS GateId, direction, result, reason, detail, message, scan_id AS ScanId, scanned_at AS ScannedAt, at,
                   actor_user_id AS ActorUserId, presence_seq AS PresenceSeq, occupancy_delta AS OccupancyDelta, capacity_shard AS CapacityShard, annuls
            FROM checkin_logs WHERE id = @checkinId
            """,
            new { checkinId });
        return row?.ToRow();
    }

    private sealed class LogRow
    {
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
            Id, OrganizationId, EventId, SeriesId, WristbandId, NfcId, Category, GateId, Direction, Result, Reason, Detail, Message, ScanId,
            DbText.Utc(ScannedAt), DbText.Utc(At), ActorUserId, PresenceSeq, OccupancyDelta, CapacityShard, Annuls);
    }

    private sealed class WristbandRow
    {
        public Guid EventId { get; set; }

        public string NfcId { get; set; } = "";

        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public string Category { get; set; } = "";

        public string Status { get; set; } = "";
    }

    private sealed class AssignmentRow
    {
        public Guid EventId { get; set; }

        public string NfcId { get; set; } = "";

        public Guid SeriesId { get; set; }
    }

    private sealed class PresenceRow
    {
        public Guid EventId { get; set; }

        public string NfcId { get; set; } = "";

        public Guid SeriesId { get; set; }

        public int LastSeq { get; set; }

        public int Inside { get; set; }

        public int Entries { get; set; }
    }

    private sealed class VerdictRow
    {
        public Guid EventId { get; set; }

        public string NfcId { get; set; } = "";

        public Guid Id { get; set; }

        public Guid ScanId { get; set; }

        public string Result { get; set; } = "";

        public string Reason { get; set; } = "";

        public string? Detail { get; set; }

        public string Message { get; set; } = "";

        public Guid? SeriesId { get; set; }

        public Guid? WristbandId { get; set; }

        public string? Category { get; set; }

        public Guid GateId { get; set; }

        public string Direction { get; set; } = "";

        public DateTime At { get; set; }

        public ScanVerdict ToVerdict(string nfcId) => new(
            Result == "allowed", Reason, Detail, Message, SeriesId, WristbandId, nfcId, Category, GateId,
            DbText.FromDb<ScanDirection>(Direction), Id, DbText.Utc(At));
    }
}
