using EventSeries.Domain.CheckIns;
using Dapper;
using EventSeries.CheckIns;
using EventSeries.Tickets;
using EventSeries.Wristbands;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>
/// Reads access snapshots for many wristbands in one round trip (a cold gate opening activates
/// thousands of wristbands a second; one query each would swamp the database).
/// </summary>
public sealed class AccessStore(NpgsqlDataSource db)
{
    /// <summary>Snapshots of many wristbands in one round trip, on a connection the caller keeps (see <see cref="AccessLoader"/>).</summary>
    public async Task<IReadOnlyDictionary<(Guid EventId, string NfcId), AccessSnapshot>> LoadAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(Guid EventId, string NfcId)> keys)
    {
        var args = new { eventIds = keys.Select(k => k.EventId).ToArray(), nfcIds = keys.Select(k => k.NfcId).ToArray() };
        using var results = await connection.QueryMultipleAsync(
            """
            SELECT id, wristbands_version FROM events WHERE id = ANY(@eventIds);
            SELECT x.event_id AS EventId, x.nfc_id AS NfcId, x.id, x.organization_id AS OrganizationId, x.category, x.status
              FROM wristbands x JOIN unnest(@eventIds, @nfcIds) AS k (event_id, nfc_id) ON x.event_id = k.event_id AND x.nfc_id = k.nfc_id;
            SELECT a.wristband_id AS WristbandId, a.series_id AS SeriesId FROM series_wristband_assignments a
              JOIN wristbands x ON x.id = a.wristband_id JOIN unnest(@eventIds, @nfcIds) AS k (event_id, nfc_id) ON x.event_id = k.event_id AND x.nfc_id = k.nfc_id
              WHERE a.is_active;
            SELECT l.wristband_id AS WristbandId, l.series_id AS SeriesId, max(l.presence_seq) AS LastSeq, sum(l.occupancy_delta)::int AS Inside,
                   (count(*) FILTER (WHERE l.direction = 'in' AND l.result = 'allowed') - count(*) FILTER (WHERE l.result = 'annulled'))::int AS Entries,
                   ((array_agg(l.capacity_shard ORDER BY l.presence_seq DESC) FILTER (WHERE l.occupancy_delta > 0 AND l.capacity_shard IS NOT NULL))[1])::int AS EntryShard
              FROM checkin_logs l JOIN wristbands x ON x.id = l.wristband_id
              JOIN unnest(@eventIds, @nfcIds) AS k (event_id, nfc_id) ON x.event_id = k.event_id AND x.nfc_id = k.nfc_id
              WHERE l.presence_seq IS NOT NULL GROUP BY l.wristband_id, l.series_id;
            SELECT t.wristband_id AS WristbandId, t.status FROM tickets t JOIN wristbands x ON x.id = t.wristband_id
              JOIN unnest(@eventIds, @nfcIds) AS k (event_id, nfc_id) ON x.event_id = k.event_id AND x.nfc_id = k.nfc_id;
            """,
            args);
        // Read first, in its own statement: a version read after the row could be newer than the row.
        var versions = (await results.ReadAsync<(Guid EventId, long Version)>()).ToDictionary(v => v.EventId, v => v.Version);
        var wristbands = (await results.ReadAsync<WristbandRow>()).ToDictionary(r => (r.EventId, r.NfcId));
        var assigned = (await results.ReadAsync<AssignmentRow>()).ToLookup(r => r.WristbandId);
        var presence = (await results.ReadAsync<PresenceRow>()).ToLookup(r => r.WristbandId);
        var tickets = (await results.ReadAsync<(Guid WristbandId, string Status)>()).ToDictionary(t => t.WristbandId, t => DbText.FromDb<TicketStatus>(t.Status));
        return keys.Distinct().ToDictionary(k => k, k => wristbands.TryGetValue(k, out var w)
            ? new AccessSnapshot(
                new WristbandInfo(w.Id, w.OrganizationId, w.Category, DbText.FromDb<WristbandStatus>(w.Status))
                {
                    // A paired band carries its ticket's status, so each scan checks it from memory.
                    Ticket = tickets.TryGetValue(w.Id, out var ticket) ? ticket : null,
                },
                [.. assigned[w.Id].Select(a => a.SeriesId)],
                presence[w.Id].ToImmutableDictionary(p => p.SeriesId, p => new Presence(p.LastSeq, p.Inside, p.Entries, p.EntryShard)))
            {
                WristbandsVersion = versions.GetValueOrDefault(k.EventId),
            }
            : new AccessSnapshot(null, [], ImmutableDictionary<Guid, Presence>.Empty) { WristbandsVersion = versions.GetValueOrDefault(k.EventId) });
    }

    /// <summary>The verdict first given to a scan id (after the log refused it as a repeat), or null.</summary>
    public async Task<ScanVerdict?> FindVerdictAsync(Guid eventId, Guid scanId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<CheckinLogRecord>(
            $"SELECT {CheckinLogRecord.Columns} FROM checkin_logs WHERE event_id = @eventId AND scan_id = @scanId", new { eventId, scanId });
        return row?.ToRow().ToVerdict();
    }

    /// <summary>One log row by id (for annulments), or null.</summary>
    public async Task<CheckinRow?> FindCheckinAsync(Guid checkinId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<CheckinLogRecord>(
            $"SELECT {CheckinLogRecord.Columns} FROM checkin_logs WHERE id = @checkinId", new { checkinId });
        return row?.ToRow();
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
        public Guid WristbandId { get; set; }

        public Guid SeriesId { get; set; }
    }

    private sealed class PresenceRow
    {
        public Guid WristbandId { get; set; }

        public Guid SeriesId { get; set; }

        public int LastSeq { get; set; }

        public int Inside { get; set; }

        public int Entries { get; set; }

        public int? EntryShard { get; set; }
    }
}
