using EventSeries.Security;
using System.Text.Json;
using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Persistence.Queries;
using Npgsql;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// The <c>import_jobs</c> rows: created when an upload starts (after the caller's role in the
/// event's organization was checked against the event's row), moved on while it runs, finished in
/// the merge's own transaction. A job whose process died stays unfinished in its row; it is shown
/// failed once its heartbeat is older than <see cref="Abandoned"/>.
/// </summary>
public sealed class ImportJobStore(NpgsqlDataSource db)
{
    /// <summary>The most rejections a job keeps (with their lines); the count covers all.</summary>
    public const int RejectionsKept = 100;

    /// <summary>An unfinished job not heard of for this long was lost with its process.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Starts a job for <paramref name="caller"/> on the event: 404 when the event is not visible to
    /// them, 403 when their role may not do this <paramref name="permission"/>.
    /// </summary>
    public async Task<ImportJobView> CreateAsync(
        Caller caller, Guid eventId, ImportKind kind, ImportFormat format, ImportMode mode, Permission permission, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        var organizationId = await connection.ExecuteScalarAsync<Guid?>("SELECT organization_id FROM events WHERE id = @eventId", new { eventId });
        if (organizationId is not { } org || !caller.BelongsTo(org))
        {
            throw new RowNotFoundException("Event");
        }

        caller.Authorize(org, permission, "Event");
        var id = Guid.CreateVersion7(now);
        await connection.ExecuteAsync(
            """
            INSERT INTO import_jobs (id, organization_id, event_id, kind, format, mode, status, created_by, created_at, updated_at)
            VALUES (@id, @org, @eventId, @kind, @format, @mode, 'receiving', @createdBy, @now, @now)
            """,
            new
            {
                id, org, eventId, kind = kind.ToDb(), format = format.ToDb(), mode = mode.ToDb(),
                createdBy = caller.Scanner is null ? caller.UserId : (Guid?)null, now = now.UtcDateTime,
            });
        return (await GetRowAsync(connection, id, now))!;
    }

    /// <summary>One job, for someone who may see its organization (404 otherwise).</summary>
    public async Task<ImportJobView> GetAsync(Caller caller, Guid jobId, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        var job = await GetRowAsync(connection, jobId, now);
        if (job is null || !caller.BelongsTo(job.OrganizationId))
        {
            throw new RowNotFoundException("Import");
        }

        caller.Authorize(job.OrganizationId, Permission.View, "Import");
        return job;
    }

    /// <summary>
    /// An event's imports, newest first, optionally of one kind, for someone who may see the event's
    /// organization (404 otherwise).
    /// </summary>
    public async Task<Page<ImportJobView>> ListAsync(Caller caller, Guid eventId, ImportKind? kind, PageRequest page, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        var organizationId = await connection.ExecuteScalarAsync<Guid?>("SELECT organization_id FROM events WHERE id = @eventId", new { eventId });
        if (organizationId is not { } org || !caller.BelongsTo(org))
        {
            throw new RowNotFoundException("Event");
        }

        caller.Authorize(org, Permission.View, "Event");
        var args = new { eventId, kind = kind?.ToString().ToLowerInvariant(), page.PageSize, page.Offset };
        var total = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM import_jobs WHERE event_id = @eventId AND (@kind::text IS NULL OR kind = @kind)", args);
        var rows = await connection.QueryAsync<JobRow>(
            $"""
            {JobRow.Select}
            WHERE event_id = @eventId AND (@kind::text IS NULL OR kind = @kind)
            ORDER BY created_at DESC, id DESC LIMIT @PageSize OFFSET @Offset
            """,
            args);
        return new([.. rows.Select(r => r.ToView(now))], page.PageNumber, page.PageSize, total);
    }

    /// <summary>Rows read so far (and rejected while reading): the upload's progress; also the heartbeat.</summary>
    public async Task ProgressAsync(Guid jobId, long rowsRead, long rejected, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE import_jobs SET rows_read = @rowsRead, rejected = @rejected, updated_at = @now WHERE id = @jobId AND finished_at IS NULL",
            new { jobId, rowsRead, rejected, now = now.UtcDateTime });
    }

    /// <summary>The file is in; the merge begins.</summary>
    public async Task MergingAsync(Guid jobId, long rowsRead, long rejected, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE import_jobs SET status = 'merging', rows_read = @rowsRead, rejected = @rejected, updated_at = @now WHERE id = @jobId AND finished_at IS NULL",
            new { jobId, rowsRead, rejected, now = now.UtcDateTime });
    }

    /// <summary>Finishes the job in the merge's transaction, so its counts and the rows it wrote commit together.</summary>
    public static Task CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid jobId, ImportCounts counts, IReadOnlyList<ImportRejection> rejections, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            UPDATE import_jobs SET status = 'completed', rows_read = @RowsRead, created = @Created, updated = @Updated, unchanged = @Unchanged,
                rejected = @Rejected, assigned = @Assigned, rejections = @rejections::jsonb, updated_at = @now, finished_at = @now
            WHERE id = @jobId
            """,
            new
            {
                jobId, counts.RowsRead, counts.Created, counts.Updated, counts.Unchanged, counts.Rejected, counts.Assigned,
                rejections = JsonSerializer.Serialize(rejections.Take(RejectionsKept), Json), now = now.UtcDateTime,
            },
            tx);

    /// <summary>Marks the job failed with nothing written (its transaction rolled back, or never began).</summary>
    public async Task FailAsync(Guid jobId, string error, long rowsRead, long rejected, IReadOnlyList<ImportRejection> rejections, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE import_jobs SET status = 'failed', error = @error, rows_read = @rowsRead, rejected = @rejected, created = 0, updated = 0,
                unchanged = 0, assigned = 0, rejections = @rejections::jsonb, updated_at = @now, finished_at = @now
            WHERE id = @jobId AND finished_at IS NULL
            """,
            new { jobId, error, rowsRead, rejected, rejections = JsonSerializer.Serialize(rejections.Take(RejectionsKept), Json), now = now.UtcDateTime });
    }

    private static async Task<ImportJobView?> GetRowAsync(NpgsqlConnection connection, Guid jobId, DateTimeOffset now) =>
        (await connection.QuerySingleOrDefaultAsync<JobRow>($"{JobRow.Select} WHERE id = @jobId", new { jobId }))?.ToView(now);

    private sealed class JobRow
    {
        public const string Select =
            """
            SELECT id, organization_id AS OrganizationId, event_id AS EventId, kind, format, mode, status, rows_read AS RowsRead, created,
                   updated, unchanged, rejected, assigned, rejections::text AS Rejections, error, created_at AS CreatedAt,
                   updated_at AS UpdatedAt, finished_at AS FinishedAt
            FROM import_jobs
            """;

        /// <summary>The job as shown; one whose process stopped beating for <see cref="Abandoned"/> shows failed.</summary>
        public ImportJobView ToView(DateTimeOffset now)
        {
            var updatedAt = DbText.Utc(UpdatedAt);
            var lost = FinishedAt is null && now - updatedAt > Abandoned;
            return new ImportJobView(
                Id, OrganizationId, EventId, Kind, Format, Mode, lost ? "failed" : Status, RowsRead,
                Created, Updated, Unchanged, Rejected, Assigned,
                JsonSerializer.Deserialize<List<ImportRejection>>(Rejections, Json) ?? [],
                lost ? "The import stopped without finishing (its process ended); nothing of it was written. Import the file again." : Error,
                DbText.Utc(CreatedAt), updatedAt, FinishedAt is { } f ? DbText.Utc(f) : null);
        }

        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public Guid EventId { get; set; }

        public string Kind { get; set; } = "";

        public string Format { get; set; } = "";

        public string Mode { get; set; } = "";

        public string Status { get; set; } = "";

        public long RowsRead { get; set; }

        public long Created { get; set; }

        public long Updated { get; set; }

        public long Unchanged { get; set; }

        public long Rejected { get; set; }

        public long Assigned { get; set; }

        public string Rejections { get; set; } = "[]";

        public string? Error { get; set; }

        public DateTime CreatedAt { get; set; }

        public DateTime UpdatedAt { get; set; }

        public DateTime? FinishedAt { get; set; }
    }
}
