using EventSeries.Domain.CheckIns;
using Microsoft.Extensions.Logging;
using System.Diagnostics;
using EventSeries.Persistence.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace EventSeries.Persistence.CheckIns;

/// <summary>
/// Appends check-in rows with group commit: every row waiting when a batch starts goes into one
/// binary COPY and one commit, so thousands of scans a second cost a handful of commits. A caller's
/// task completes only after its row is durable (true), or was refused by a unique index (false:
/// the same scan id, or a presence position another activation already took). Batches are copied
/// straight into the log; only a batch that hits a unique index is redone through a staging table
/// with ON CONFLICT DO NOTHING, which sorts the refused rows from the others.
/// </summary>
public sealed partial class CheckinLogWriter : IAsyncDisposable
{
    private const int MaxBatch = 2000;

    private readonly ConnectionBatcher<CheckinRow, bool> _batcher;
    private readonly LogWriterWindow? _window;

    /// <param name="db">Where the writers' connections come from.</param>
    /// <param name="logger">Told of failed batches.</param>
    /// <param name="window">Where each batch's commit time is kept for the cluster health view (none in tools that only write).</param>
    /// <param name="writers">How many batches may be in flight: a couple let one batch fsync while the next is copied.</param>
    public CheckinLogWriter(NpgsqlDataSource db, ILogger<CheckinLogWriter> logger, LogWriterWindow? window = null, int writers = 3)
    {
        _window = window;
        _batcher = new(db, writers, MaxBatch, async (connection, rows) =>
        {
            var committed = await WriteAsync(connection, rows);
            return [.. rows.Select(r => committed.Contains(r.Id))];
        }, (e, count) => LogBatchFailed(logger, e, count));
    }

    /// <summary>Appends a row; true once committed, false when a unique index refused it.</summary>
    public Task<bool> AppendAsync(CheckinRow row) => _batcher.EnqueueAsync(row);

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private const string Columns =
        "id, organization_id, event_id, series_id, wristband_id, nfc_id, category, gate_id, direction, result, reason, detail, " +
        "message, scan_id, scanned_at, at, actor_user_id, presence_seq, occupancy_delta, capacity_shard, annuls";

    private async Task<HashSet<Guid>> WriteAsync(NpgsqlConnection connection, IReadOnlyList<CheckinRow> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            HashSet<Guid> committed;
            try
            {
                committed = await CopyDirectlyAsync(connection, batch);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                committed = await WriteSortingConflictsAsync(connection, batch);
            }

            outcome = "committed";
            return committed;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            EventSeriesInstruments.LogBatchSize.Record(batch.Count);
            EventSeriesInstruments.LogCommitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
            _window?.Record(batch.Count, elapsed, outcome == "committed");
        }
    }

    /// <summary>
    /// One COPY outside any explicit transaction: PostgreSQL commits it (and, with synchronous_commit
    /// on, flushes the WAL) before it reports the command complete, so when CompleteAsync returns
    /// every row is durable, in one round trip instead of three (BEGIN, COPY, COMMIT).
    /// </summary>
    private static async Task<HashSet<Guid>> CopyDirectlyAsync(NpgsqlConnection connection, IReadOnlyList<CheckinRow> batch)
    {
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY checkin_logs ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in batch)
            {
                await WriteRowAsync(copy, row);
            }

            await copy.CompleteAsync();
        }

        return [.. batch.Select(r => r.Id)];
    }

    private static async Task<HashSet<Guid>> WriteSortingConflictsAsync(NpgsqlConnection connection, IReadOnlyList<CheckinRow> batch)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE IF NOT EXISTS checkin_stage (LIKE checkin_logs INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection, tx))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY checkin_stage ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in batch)
            {
                await WriteRowAsync(copy, row);
            }

            await copy.CompleteAsync();
        }

        var committed = new HashSet<Guid>();
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO checkin_logs ({Columns}) SELECT {Columns} FROM checkin_stage ON CONFLICT DO NOTHING RETURNING id", connection, tx))
        await using (var reader = await insert.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                committed.Add(reader.GetGuid(0));
            }
        }

        await tx.CommitAsync();
        return committed;
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, CheckinRow r)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.OrganizationId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.EventId, NpgsqlDbType.Uuid);
        await WriteNullableAsync(copy, r.SeriesId, NpgsqlDbType.Uuid);
        await WriteNullableAsync(copy, r.WristbandId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.NfcId, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, r.Category, NpgsqlDbType.Text);
        await copy.WriteAsync(r.GateId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.Direction.ToDb(), NpgsqlDbType.Text);
        await copy.WriteAsync(r.Result.ToDb(), NpgsqlDbType.Text);
        await copy.WriteAsync(r.Reason, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, r.Detail, NpgsqlDbType.Text);
        await copy.WriteAsync(r.Message, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, r.ScanId, NpgsqlDbType.Uuid);
        await WriteNullableAsync(copy, r.ScannedAt?.UtcDateTime, NpgsqlDbType.TimestampTz);
        await copy.WriteAsync(r.At.UtcDateTime, NpgsqlDbType.TimestampTz);
        await WriteNullableAsync(copy, r.ActorUserId, NpgsqlDbType.Uuid);
        await WriteNullableAsync(copy, r.PresenceSeq, NpgsqlDbType.Integer);
        await copy.WriteAsync((short)r.OccupancyDelta, NpgsqlDbType.Smallint);
        await WriteNullableAsync(copy, r.CapacityShard is { } shard ? (short?)shard : null, NpgsqlDbType.Smallint);
        await WriteNullableAsync(copy, r.Annuls, NpgsqlDbType.Uuid);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct => value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type) =>
        value is not null ? copy.WriteAsync(value, type) : copy.WriteNullAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} check-in rows; their scans were answered with an error.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
