using Npgsql;

namespace EventSeries.Bench.Chaos;

/// <summary>One row of checkin_logs, with the transaction that wrote it and when that committed (null without track_commit_timestamp).</summary>
public sealed record LogRow(
    Guid Id, Guid? ScanId, Guid? SeriesId, string NfcId, string Direction, string Result, int? PresenceSeq, int OccupancyDelta,
    DateTime At, long Xid, DateTime? CommittedAt);

/// <summary>What the log says against what the scanners were answered.</summary>
public sealed record LedgerFindings(
    int Rows,
    int AllowedRows,
    int AllowAnswered,
    int AllowWithoutRow,
    int AllowWithOtherCheckinId,
    int DenyWithAllowedRow,
    int AllowedRowsWithoutFinalAnswer,
    int RowsOfUnknownScans,
    int DoubleAdmissions,
    string? FirstDoubleAdmission,
    int MaxByAt,
    DateTime? MaxByAtWhen,
    int? MaxByCommit,
    int InsideAtEnd);

/// <summary>Reads the scenario's log and checks it against every answer the driver recorded.</summary>
public static class Ledger
{
    public static async Task<List<LogRow>> ReadAsync(string connectionString, Guid eventId)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var setting = new NpgsqlCommand("SELECT current_setting('track_commit_timestamp') = 'on'", db);
        var tracked = (bool)(await setting.ExecuteScalarAsync() ?? false);
        var committed = tracked ? "pg_xact_commit_timestamp(xmin)" : "NULL::timestamptz";
        await using var command = new NpgsqlCommand(
            $"""
             SELECT id, scan_id, series_id, nfc_id, direction, result, presence_seq, occupancy_delta, at, xmin::text::bigint, {committed}
             FROM checkin_logs WHERE event_id = @event
             """, db);
        command.Parameters.AddWithValue("event", eventId);
        var rows = new List<LogRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new LogRow(
                reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.GetInt16(7), reader.GetDateTime(8), reader.GetInt64(9), reader.IsDBNull(10) ? null : reader.GetDateTime(10)));
        }

        return rows;
    }

    public static LedgerFindings Check(IReadOnlyList<LogRow> rows, IReadOnlyList<ScanRecord> scans, Guid seriesId, bool singleEntry)
    {
        var allowedByScan = rows.Where(r => r.Result == "allowed" && r.ScanId is not null).GroupBy(r => r.ScanId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var scanIds = scans.Select(s => s.ScanId).ToHashSet();
        var answeredAllow = scans.Where(s => s.AnsweredAllow).ToList();
        var allowWithoutRow = answeredAllow.Count(s => !allowedByScan.ContainsKey(s.ScanId));
        var otherCheckin = answeredAllow.Count(s => allowedByScan.TryGetValue(s.ScanId, out var r) && (r.Count != 1 || r[0].Id != s.Final!.CheckinId));
        var denyWithRow = scans.Count(s => s.AnsweredDeny && allowedByScan.ContainsKey(s.ScanId));
        var finalByScan = scans.ToDictionary(s => s.ScanId, s => s.Final?.Status ?? 0);
        var rowsWithoutAnswer = allowedByScan.Keys.Count(id => finalByScan.TryGetValue(id, out var status) && status != 200);
        var unknown = rows.Count(r => r.ScanId is not { } id || !scanIds.Contains(id));

        var series = rows.Where(r => r.SeriesId == seriesId).ToList();
        var (doubles, first) = DoubleAdmissions(series, singleEntry);
        var (maxAt, maxAtWhen) = MaxOccupancy(series.OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => (r.OccupancyDelta, (DateTime?)r.At)));
        int? maxCommit = null;
        if (series.Count > 0 && series.All(r => r.CommittedAt is not null))
        {
            // Rows of one transaction become visible together: occupancy is what it is after each commit.
            var byCommit = series.GroupBy(r => r.Xid).Select(g => (Delta: g.Sum(r => r.OccupancyDelta), When: g.First().CommittedAt, g.Key))
                .OrderBy(t => t.When).ThenBy(t => t.Key).Select(t => (t.Delta, t.When));
            maxCommit = MaxOccupancy(byCommit).Max;
        }

        return new LedgerFindings(
            rows.Count, rows.Count(r => r.Result == "allowed"), answeredAllow.Count, allowWithoutRow, otherCheckin, denyWithRow,
            rowsWithoutAnswer, unknown, doubles, first, maxAt, maxAtWhen, maxCommit, series.Sum(r => r.OccupancyDelta));
    }

    /// <summary>
    /// Entries that admitted a wristband already inside (reentry: two allowed entries without an
    /// allowed exit between, in presence_seq order), or, under single entry, any second entry.
    /// </summary>
    private static (int Count, string? First) DoubleAdmissions(List<LogRow> series, bool singleEntry)
    {
        var count = 0;
        string? first = null;
        foreach (var wristband in series.Where(r => r.PresenceSeq is not null).GroupBy(r => r.NfcId))
        {
            var inside = false;
            var entries = 0;
            foreach (var row in wristband.OrderBy(r => r.PresenceSeq))
            {
                var entry = row.Result == "allowed" && row.Direction == "in";
                if (entry && (inside || (singleEntry && entries > 0)))
                {
                    count++;
                    first ??= $"{row.NfcId} presence_seq {row.PresenceSeq} at {row.At:HH:mm:ss.fff}";
                }

                if (row.Result == "allowed")
                {
                    inside = entry;
                    entries += entry ? 1 : 0;
                }
                else if (row.Result == "annulled")
                {
                    inside = false;
                }
            }
        }

        return (count, first);
    }

    private static (int Max, DateTime? When) MaxOccupancy(IEnumerable<(int Delta, DateTime? When)> ordered)
    {
        int sum = 0, max = 0;
        DateTime? when = null;
        foreach (var (delta, at) in ordered)
        {
            sum += delta;
            if (sum > max)
            {
                (max, when) = (sum, at);
            }
        }

        return (max, when);
    }
}
