using Dapper;
using EventSeries.Persistence.Telemetry;
using Npgsql;

namespace EventSeries.Persistence.Health;

/// <summary>The <c>silo_health</c> rows: each silo's log writer over its last minute (migration 0190).</summary>
public sealed class SiloHealthStore(NpgsqlDataSource db)
{
    /// <summary>Rows not reported for this long belong to silos gone for good and are deleted.</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);

    public async Task ReportAsync(string silo, DateTimeOffset at, LogWriterSnapshot log, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO silo_health (silo, reported_at, log_batches, log_rows, log_failed_batches, log_commit_p50_ms, log_commit_p99_ms, log_commit_max_ms)
            VALUES (@silo, @at, @Batches, @Rows, @FailedBatches, @CommitP50Ms, @CommitP99Ms, @CommitMaxMs)
            ON CONFLICT (silo) DO UPDATE SET
                reported_at = excluded.reported_at, log_batches = excluded.log_batches, log_rows = excluded.log_rows,
                log_failed_batches = excluded.log_failed_batches, log_commit_p50_ms = excluded.log_commit_p50_ms,
                log_commit_p99_ms = excluded.log_commit_p99_ms, log_commit_max_ms = excluded.log_commit_max_ms;
            DELETE FROM silo_health WHERE reported_at < @forgotten;
            """,
            new { silo, at, log.Batches, log.Rows, log.FailedBatches, log.CommitP50Ms, log.CommitP99Ms, log.CommitMaxMs, forgotten = at - Forgotten },
            cancellationToken: cancellationToken));
    }

    /// <summary>Every silo's last report, by silo address.</summary>
    public async Task<IReadOnlyDictionary<string, SiloLogReport>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT silo, reported_at AS ReportedAt, log_batches AS Batches, log_rows AS Rows, log_failed_batches AS FailedBatches,
                   log_commit_p50_ms AS CommitP50Ms, log_commit_p99_ms AS CommitP99Ms, log_commit_max_ms AS CommitMaxMs
            FROM silo_health
            """, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Silo, r => new SiloLogReport(
            r.Silo, new DateTimeOffset(DateTime.SpecifyKind(r.ReportedAt, DateTimeKind.Utc)), r.Batches, r.Rows, r.FailedBatches, r.CommitP50Ms, r.CommitP99Ms, r.CommitMaxMs));
    }

    private sealed class Row
    {
        public string Silo { get; set; } = "";

        public DateTime ReportedAt { get; set; }

        public int Batches { get; set; }

        public long Rows { get; set; }

        public int FailedBatches { get; set; }

        public double? CommitP50Ms { get; set; }

        public double? CommitP99Ms { get; set; }

        public double? CommitMaxMs { get; set; }
    }
}

/// <summary>One silo's last report of its log writer (the minute before <see cref="ReportedAt"/>).</summary>
public sealed record SiloLogReport(
    string Silo, DateTimeOffset ReportedAt, int Batches, long Rows, int FailedBatches, double? CommitP50Ms, double? CommitP99Ms, double? CommitMaxMs);
