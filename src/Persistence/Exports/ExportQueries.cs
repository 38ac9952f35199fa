using System.Data;
using System.Data.Common;
using EventSeries.CheckIns;
using EventSeries.Security;
using EventSeries.Persistence.Queries;
using Npgsql;

namespace EventSeries.Persistence.Exports;

/// <summary>
/// The exports' reads: one query each over the check-in log, started here and streamed by the API
/// (<see cref="ExportCursor{T}"/>). The series is checked first (404 for one the caller cannot
/// see, as the list does), and every query is scoped to the caller's organizations as well.
/// </summary>
public sealed class ExportQueries(NpgsqlDataSource db, CheckinQueries checkins)
{
    // Sorting a million rows or grouping them may take PostgreSQL a few seconds before the first row.
    private const int CommandTimeoutSeconds = 300;

    /// <summary>The check-in log of a series with the list's filters and in the list's order (newest first).</summary>
    public async Task<ExportCursor<CheckinLogEntry>> OpenCheckinsAsync(Caller caller, Guid seriesId, CheckinFilter filter, CancellationToken cancellationToken)
    {
        await checkins.FindSeriesEventAsync(caller, seriesId);
        const string columns =
            "id, series_id, wristband_id, nfc_id, category, gate_id, direction, result, reason, detail, message, scan_id, scanned_at, at, actor_user_id, annuls";
        return await OpenAsync(
            $"SELECT {columns} FROM checkin_logs {CheckinFilterSql.Where} {CheckinFilterSql.NewestFirst}",
            CheckinFilterSql.Arguments(caller, seriesId, filter),
            ReadCheckin,
            cancellationToken);
    }

    /// <summary>Per minute, gate and category counts of a series' log (see <see cref="MetricsExportRow"/>), oldest minute first.</summary>
    public async Task<ExportCursor<MetricsExportRow>> OpenMetricsAsync(
        Caller caller, Guid seriesId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await checkins.FindSeriesEventAsync(caller, seriesId);
        const string sql =
            """
            SELECT date_trunc('minute', l.at) AS minute, l.gate_id, g.name, l.category,
                   count(*) FILTER (WHERE l.result <> 'annulled'),
                   count(*) FILTER (WHERE l.result = 'allowed'),
                   count(*) FILTER (WHERE l.result = 'denied'),
                   count(*) FILTER (WHERE l.result = 'annulled'),
                   count(*) FILTER (WHERE l.result = 'allowed' AND l.direction = 'in'),
                   count(*) FILTER (WHERE l.result = 'allowed' AND l.direction = 'out'),
                   coalesce(sum(l.occupancy_delta), 0)::bigint
              FROM checkin_logs l LEFT JOIN gates g ON g.id = l.gate_id
             WHERE l.series_id = @seriesId AND l.organization_id = ANY(@orgs)
               AND (@from::timestamptz IS NULL OR l.at >= @from) AND (@to::timestamptz IS NULL OR l.at < @to)
             GROUP BY 1, l.gate_id, g.name, l.category
             ORDER BY 1, g.name, l.gate_id, l.category NULLS FIRST
            """;
        var args = new Dictionary<string, object?>
        {
            ["seriesId"] = seriesId, ["orgs"] = caller.Memberships.Keys.ToArray(), ["from"] = from?.UtcDateTime, ["to"] = to?.UtcDateTime,
        };
        return await OpenAsync(sql, args, ReadMetrics, cancellationToken);
    }

    private async Task<ExportCursor<T>> OpenAsync<T>(
        string sql, Dictionary<string, object?> args, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        NpgsqlCommand? command = null;
        try
        {
            command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeoutSeconds };
            foreach (var (name, value) in args)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            return new ExportCursor<T>(connection, command, reader, map);
        }
        catch
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    // Columns in the order selected: sequential access reads each once, left to right.
    private static CheckinLogEntry ReadCheckin(DbDataReader r) => new(
        r.GetGuid(0), NullableGuid(r, 1), NullableGuid(r, 2), r.GetString(3), NullableString(r, 4), r.GetGuid(5),
        DbText.FromDb<ScanDirection>(r.GetString(6)), DbText.FromDb<CheckinResult>(r.GetString(7)), r.GetString(8), NullableString(r, 9),
        r.GetString(10), NullableGuid(r, 11), r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13),
        NullableGuid(r, 14), NullableGuid(r, 15));

    private static MetricsExportRow ReadMetrics(DbDataReader r) => new(
        r.GetFieldValue<DateTimeOffset>(0), r.GetGuid(1), NullableString(r, 2), NullableString(r, 3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6),
        r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10));

    private static Guid? NullableGuid(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetGuid(i);

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
