using System.Globalization;
using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Webhooks;

/// <summary>
/// Turns check-in log rows into deliveries, after a durable cursor (<c>webhook_pump_cursors</c>),
/// off the scan path: the log writer is not touched; log rows are numbered by a column default
/// (<c>log_seq</c>) and this reads them afterwards. The cursor row is locked for the whole step, so
/// one silo pumps at a time, and the deliveries and the cursor's move commit together: a row becomes
/// deliveries exactly once.
/// </summary>
public sealed class CheckinPumpStore(NpgsqlDataSource db)
{
    private const string Cursor = "checkins";

    /// <summary>
    /// One step: reads the numbers of up to <paramref name="batch"/> log rows after the cursor, lets
    /// <paramref name="safeUpTo"/> say how far they can be taken (numbers are handed out before their
    /// rows commit, so a gap may be a row still being written; the snapshot says which transactions
    /// were running), appends the deliveries of the rows
    /// up to there and moves the cursor. Without any check-in subscription the cursor jumps to the
    /// sequence's end. Returns how many log rows it passed.
    /// </summary>
    public async Task<long> PumpAsync(int batch, Func<long, IReadOnlyList<long>, PumpSnapshot, long> safeUpTo, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);

        // Which transactions are running, read before this one takes an id (the row lock below gives it one).
        var snapshot = await connection.QuerySingleAsync<(string Xmin, string Xmax)>(new CommandDefinition(
            "SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text FROM pg_current_snapshot() s", transaction: tx, cancellationToken: cancellationToken));
        var position = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT position FROM webhook_pump_cursors WHERE name = @Cursor FOR UPDATE", new { Cursor }, tx, cancellationToken: cancellationToken));
        var subscribed = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT webhook_subscribed('checkin.created') OR webhook_subscribed('checkin.denied')", transaction: tx, cancellationToken: cancellationToken));
        long upTo;
        if (!subscribed)
        {
            // Nobody listens: nothing to read. Rows still being written below the end belong to nobody either.
            upTo = Math.Max(position, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM checkin_logs_log_seq", transaction: tx, cancellationToken: cancellationToken)));
        }
        else
        {
            var numbers = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT log_seq FROM checkin_logs WHERE log_seq > @position ORDER BY log_seq LIMIT @batch",
                new { position, batch }, tx, cancellationToken: cancellationToken))).ToList();
            upTo = safeUpTo(position, numbers, new PumpSnapshot(ulong.Parse(snapshot.Xmin, CultureInfo.InvariantCulture), ulong.Parse(snapshot.Xmax, CultureInfo.InvariantCulture)));
            if (upTo > position)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO webhook_deliveries (subscription_id, organization_id, ordering_key, event_type, occurred_at, data)
                    SELECT s.id, s.organization_id, coalesce(l.series_id, l.event_id), t.type, l.at,
                           jsonb_build_object('checkinId', l.id, 'seriesId', l.series_id, 'eventId', l.event_id, 'gateId', l.gate_id,
                                              'wristbandId', l.wristband_id, 'nfcId', l.nfc_id, 'category', l.category, 'direction', l.direction,
                                              'result', l.result, 'reason', l.reason, 'scanId', l.scan_id, 'at', l.at)
                    FROM checkin_logs l
                    CROSS JOIN LATERAL (SELECT CASE l.result WHEN 'allowed' THEN 'checkin.created' WHEN 'denied' THEN 'checkin.denied' END AS type) t
                    JOIN webhook_subscriptions s ON s.organization_id = l.organization_id AND t.type = ANY (s.event_types)
                    WHERE l.log_seq > @position AND l.log_seq <= @upTo
                    ORDER BY l.log_seq, s.id
                    """,
                    new { position, upTo }, tx, cancellationToken: cancellationToken));
            }
        }

        if (upTo > position)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE webhook_pump_cursors SET position = @upTo WHERE name = @Cursor", new { upTo, Cursor }, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return upTo - position;
    }
}

/// <summary>
/// PostgreSQL's transaction horizon when a pump step began: every transaction below <see cref="Xmin"/>
/// has ended; <see cref="Xmax"/> is the first id not yet handed out (<c>pg_current_snapshot()</c>).
/// </summary>
public readonly record struct PumpSnapshot(ulong Xmin, ulong Xmax);
