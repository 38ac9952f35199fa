using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using EventSeries.Persistence.Recurrence;
using EventSeries.Series;
using Npgsql;

namespace EventSeries.Persistence.Jobs;

/// <summary>
/// The <c>series_jobs</c> rows: a recurring parent's background work on its children. A job is
/// inserted in the transaction of the parent's own change (<see cref="InsertAsync(NpgsqlConnection, NpgsqlTransaction, NewSeriesJob)"/>),
/// so a changed parent always has its job; afterwards only the parent's grain moves it on.
/// </summary>
public sealed class SeriesJobStore(NpgsqlDataSource db)
{
    private const string Columns =
        """
        id AS Id, parent_series_id AS ParentSeriesId, kind AS Kind, status AS Status, total AS Total, done AS Done,
        skipped AS Skipped, failed AS Failed, created_at AS CreatedAt, updated_at AS UpdatedAt, last_error AS LastError,
        through_sequence AS ThroughSequence, cursor_sequence AS CursorSequence, created_by AS CreatedBy,
        created_by_name AS CreatedByName, payload::text AS Payload
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Inserts the job in the caller's transaction. It covers the parent's children as they are now
    /// (later ones are generated from the changed parent); with none it is completed at once.
    /// </summary>
    /// <summary>Inserts a job in the transaction of the change it carries out.</summary>
    public static Task<SeriesJobView> InsertAsync(WriteTransaction transaction, NewSeriesJob job) =>
        InsertAsync(transaction.Connection, transaction.Transaction, job);

    private static async Task<SeriesJobView> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, NewSeriesJob job)
    {
        var row = await connection.QuerySingleAsync<JobRow>(
            $"""
            INSERT INTO series_jobs (id, organization_id, parent_series_id, kind, payload, status, through_sequence, total,
                created_by, created_by_name, created_at, updated_at)
            SELECT @id, @organizationId, @parentId, @kind, @payload::jsonb, CASE WHEN count(*) = 0 THEN 'completed' ELSE 'running' END,
                coalesce(max(sequence_number), 0), count(*), @createdBy, @createdByName, @now, @now
            FROM event_series WHERE parent_series_id = @parentId
            RETURNING {Columns}
            """,
            new
            {
                id = job.Id, organizationId = job.OrganizationId, parentId = job.ParentSeriesId, kind = KindToDb(job.Kind),
                payload = JsonSerializer.Serialize(job.Payload, Json), createdBy = job.CreatedBy, createdByName = job.CreatedByName,
                now = job.At.UtcDateTime,
            },
            tx);
        return row.ToJob().View;
    }

    /// <summary>Inserts a job in a transaction of its own (the parent itself does not change).</summary>
    public async Task<SeriesJobView> InsertAsync(NewSeriesJob job)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var view = await InsertAsync(connection, tx, job);
        await tx.CommitAsync();
        return view;
    }

    /// <summary>One job of the parent, or null.</summary>
    public async Task<SeriesJobView?> GetAsync(Guid parentId, Guid jobId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(
            $"SELECT {Columns} FROM series_jobs WHERE id = @jobId AND parent_series_id = @parentId", new { parentId, jobId });
        return row?.ToJob().View;
    }

    /// <summary>The parent's jobs, newest first.</summary>
    public async Task<ImmutableArray<SeriesJobView>> ListAsync(Guid parentId, int limit)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<JobRow>(
            $"SELECT {Columns} FROM series_jobs WHERE parent_series_id = @parentId ORDER BY created_at DESC, id DESC LIMIT @limit", new { parentId, limit });
        return [.. rows.Select(r => r.ToJob().View)];
    }

    /// <summary>The parent's oldest running job: jobs run one after another, in the order they were accepted.</summary>
    public async Task<SeriesJob?> NextRunningAsync(Guid parentId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QueryFirstOrDefaultAsync<JobRow>(
            $"SELECT {Columns} FROM series_jobs WHERE parent_series_id = @parentId AND status = 'running' ORDER BY created_at, id LIMIT 1",
            new { parentId });
        return row?.ToJob();
    }

    /// <summary>The next children of a job: after the cursor, up to the job's last sequence number.</summary>
    public async Task<IReadOnlyList<ChildRow>> ChildrenAfterAsync(Guid parentId, int cursor, int through, int limit)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(Guid Id, int SequenceNumber, string Lifecycle)>(
            """
            SELECT id, sequence_number, lifecycle_status FROM event_series
            WHERE parent_series_id = @parentId AND sequence_number > @cursor AND sequence_number <= @through
            ORDER BY sequence_number LIMIT @limit
            """,
            new { parentId, cursor, through, limit });
        return [.. rows.Select(r => new ChildRow(r.Id, r.SequenceNumber, DbText.FromDb<SeriesLifecycle>(r.Lifecycle)))];
    }

    /// <summary>Records a batch: the cursor moves on, the counts grow, and a finished job is completed (failed if any child refused).</summary>
    public async Task AdvanceAsync(Guid jobId, JobProgress progress, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE series_jobs SET cursor_sequence = @CursorSequence, done = done + @Done, skipped = skipped + @Skipped,
                failed = failed + @Failed, last_error = coalesce(@LastError, last_error), updated_at = @now,
                status = CASE WHEN NOT @Finished THEN 'running' WHEN failed + @Failed > 0 THEN 'failed' ELSE 'completed' END
            WHERE id = @jobId AND status = 'running'
            """,
            new { jobId, progress.CursorSequence, progress.Done, progress.Skipped, progress.Failed, progress.LastError, progress.Finished, now = now.UtcDateTime });
    }

    /// <summary>Notes why a batch could not run; the batch is tried again.</summary>
    public async Task RecordErrorAsync(Guid jobId, string error, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE series_jobs SET last_error = @error, updated_at = @now WHERE id = @jobId", new { jobId, error, now = now.UtcDateTime });
    }

    /// <summary>Whether the parent has a job still running.</summary>
    public async Task<bool> HasRunningAsync(Guid parentId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM series_jobs WHERE parent_series_id = @parentId AND status = 'running')", new { parentId });
    }

    /// <summary>Parents with a running job (after a restart, their grains must pick it up again).</summary>
    public async Task<IReadOnlyList<Guid>> FindParentsWithRunningJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Guid>(
            new CommandDefinition("SELECT DISTINCT parent_series_id FROM series_jobs WHERE status = 'running'", cancellationToken: cancellationToken));
        return [.. rows];
    }

    private static string KindToDb(SeriesJobKind kind) => kind switch
    {
        SeriesJobKind.ApplySpec => "apply_spec",
        SeriesJobKind.CancelChildren => "cancel_children",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static SeriesJobKind KindFromDb(string kind) => kind switch
    {
        "apply_spec" => SeriesJobKind.ApplySpec,
        "cancel_children" => SeriesJobKind.CancelChildren,
        _ => throw new InvalidOperationException($"'{kind}' is not a stored job kind."),
    };

    private sealed class JobRow
    {
        public Guid Id { get; set; }

        public Guid ParentSeriesId { get; set; }

        public string Kind { get; set; } = "";

        public string Status { get; set; } = "";

        public int Total { get; set; }

        public int Done { get; set; }

        public int Skipped { get; set; }

        public int Failed { get; set; }

        public DateTime CreatedAt { get; set; }

        public DateTime UpdatedAt { get; set; }

        public string? LastError { get; set; }

        public int ThroughSequence { get; set; }

        public int CursorSequence { get; set; }

        public Guid? CreatedBy { get; set; }

        public string CreatedByName { get; set; } = "";

        public string Payload { get; set; } = "{}";

        public SeriesJob ToJob() => new(
            new SeriesJobView(
                Id, ParentSeriesId, KindFromDb(Kind), DbText.FromDb<SeriesJobStatus>(Status), Total, Done, Skipped, Failed,
                DbText.Utc(CreatedAt), DbText.Utc(UpdatedAt), LastError),
            ThroughSequence, CursorSequence, CreatedBy, CreatedByName,
            JsonSerializer.Deserialize<SeriesJobPayload>(Payload, Json) ?? new SeriesJobPayload(null, null));
    }
}
