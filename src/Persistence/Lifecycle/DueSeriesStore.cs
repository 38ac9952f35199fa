using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Lifecycle;

/// <summary>
/// Finds series whose lifecycle is due to move on by itself (event_series.lifecycle_due_at, kept by
/// a trigger), through a partial index that holds only scheduled and active series. Sweeps are
/// serialised across silos with a PostgreSQL advisory lock, so one sweep at a time asks the grains.
/// </summary>
public sealed class DueSeriesStore(NpgsqlDataSource db)
{
    /// <summary>The advisory lock key of the lifecycle sweep ("LIFECYCL" in ASCII).</summary>
    private const long SweepLockKey = 0x4C49464543594CL;

    /// <summary>
    /// Takes the cluster-wide sweep lock (waiting for another silo's sweep to finish) on a connection
    /// of its own; disposing the result releases it.
    /// </summary>
    public async Task<SweepLock> LockSweepAsync(CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = SweepLockKey }, cancellationToken: cancellationToken));
            return new SweepLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The held sweep lock and its connection. A session lock outlives a connection returned to the
    /// pool, so it is released explicitly; if the process dies, the session ends and PostgreSQL drops it.
    /// </summary>
    public sealed class SweepLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        internal NpgsqlConnection Connection { get; } = connection;

        /// <summary>Up to <paramref name="limit"/> due series, read on the session that holds the lock.</summary>
        public Task<IReadOnlyList<DueSeries>> FindDueAsync(DateTimeOffset now, DueSeries? after, int limit, CancellationToken cancellationToken) =>
            DueSeriesStore.FindDueAsync(Connection, now, after, limit, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = SweepLockKey });
            }
            finally
            {
                await Connection.DisposeAsync();
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> series due at or before <paramref name="now"/>, oldest first, after the keyset <paramref name="after"/>.</summary>
    internal static async Task<IReadOnlyList<DueSeries>> FindDueAsync(
        NpgsqlConnection connection, DateTimeOffset now, DueSeries? after, int limit, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(Guid Id, DateTime DueAt)>(new CommandDefinition(
            """
            SELECT id, lifecycle_due_at FROM event_series
            WHERE lifecycle_due_at <= @now AND (@afterDue::timestamptz IS NULL OR (lifecycle_due_at, id) > (@afterDue, @afterId))
            ORDER BY lifecycle_due_at, id LIMIT @limit
            """,
            new { now = now.UtcDateTime, afterDue = after?.DueAt.UtcDateTime, afterId = after?.Id ?? Guid.Empty, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DueSeries(r.Id, DbText.Utc(r.DueAt)))];
    }
}

/// <summary>A series whose lifecycle is due to move on, and since when.</summary>
public sealed record DueSeries(Guid Id, DateTimeOffset DueAt);
