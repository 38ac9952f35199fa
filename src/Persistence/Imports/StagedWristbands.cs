using EventSeries.Security;
using System.Text.Json;
using Dapper;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using Npgsql;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// A wristband file in its staging table, inside the transaction that will merge it. Disposing it
/// without <see cref="MergeAsync"/> rolls everything back: nothing of the file is written.
/// </summary>
public sealed class StagedWristbands(
    NpgsqlConnection connection, NpgsqlTransaction tx, ImportJobView job, DomainTime time)
    : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<ImportRejection> _rejections = [];

    public ImportJobView Job { get; } = job;

    public long RowsRead { get; set; }

    public long RejectedCount { get; private set; }

    public IReadOnlyList<ImportRejection> Rejections => _rejections;

    public void Reject(ImportRejection rejection)
    {
        RejectedCount++;
        if (_rejections.Count < ImportJobStore.RejectionsKept)
        {
            _rejections.Add(rejection);
        }
    }

    /// <summary>
    /// Checks the staged rows as sets (a UID twice in the file, an unknown category, an unknown or
    /// ended series), takes the rejected ones out, then upserts the rest in one statement and assigns
    /// the series they name. With <see cref="ImportMode.AllOrNothing"/>, any rejection refuses all.
    /// </summary>
    public async Task<WristbandMergeResult> MergeAsync(Caller caller, ImportMode mode, CancellationToken cancellationToken)
    {
        var eventId = Job.EventId;
        var now = time.Now();

        // Sets of a million rows: hashed in memory rather than spilled to disk (4 MB by default).
        await ExecuteAsync("SET LOCAL work_mem = '256MB'");
        await ExecuteAsync("ANALYZE import_stage");
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM import_stage WHERE maybe_repeated)", transaction: tx))
        {
            await RejectAsync(
                """
                DELETE FROM import_stage s USING (
                    SELECT nfc_id, min(line) AS first FROM import_stage
                    WHERE nfc_id IN (SELECT nfc_id FROM import_stage WHERE maybe_repeated)
                    GROUP BY nfc_id HAVING count(*) > 1) d
                WHERE s.nfc_id = d.nfc_id AND s.line <> d.first
                RETURNING s.line, 'nfc_id ' || s.nfc_id || ' repeats line ' || d.first AS reason
                """,
                new { });
        }
        await RejectAsync(
            """
            DELETE FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.event_id = @eventId AND c.name = s.category)
            RETURNING s.line, 'unknown category ' || s.category || ' (the event''s categories are defined on the event)' AS reason
            """,
            new { eventId });
        var assigns = await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM import_stage WHERE series IS NOT NULL)", transaction: tx);
        if (assigns)
        {
            await ResolveSeriesAsync(eventId);
        }

        if (mode == ImportMode.AllOrNothing && RejectedCount > 0)
        {
            throw new ImportRefusedException($"{RejectedCount:N0} rows were rejected, so with mode=all_or_nothing nothing was imported.");
        }

        var staged = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM import_stage", transaction: tx);
        var (created, updated) = await UpsertAsync(eventId, now);
        var changed = new HashSet<Guid>();
        long assigned = 0;
        if (updated > 0)
        {
            // A category changed by the file moves with the wristband into its assignments.
            changed.UnionWith(await connection.QueryAsync<Guid>(
                """
                UPDATE series_wristband_assignments a SET category = w.category FROM wristbands w
                WHERE w.event_id = @eventId AND w.import_id = @jobId AND a.wristband_id = w.id AND a.category <> w.category
                RETURNING a.series_id
                """,
                new { eventId, jobId = Job.Id },
                tx));
        }

        if (assigns)
        {
            var added = (await connection.QueryAsync<(Guid SeriesId, long Count)>(
                """
                WITH added AS (
                    INSERT INTO series_wristband_assignments (series_id, wristband_id, category, assigned_at)
                    SELECT r.matches[1], w.id, w.category, @now
                    FROM import_series x JOIN import_series_refs r ON r.ref = x.ref
                    JOIN wristbands w ON w.event_id = @eventId AND w.nfc_id = x.nfc_id
                    ON CONFLICT DO NOTHING
                    RETURNING series_id)
                SELECT series_id, count(*) FROM added GROUP BY series_id
                """,
                new { eventId, now = now.UtcDateTime },
                tx)).ToList();
            assigned = added.Sum(a => a.Count);
            changed.UnionWith(added.Select(a => a.SeriesId));
        }

        if (changed.Count > 0)
        {
            await EnsureWithinLimitsAsync([.. changed]);
            await connection.ExecuteAsync(
                "UPDATE event_series SET version = version + 1, updated_at = @now WHERE id = ANY(@series)",
                new { series = changed.ToArray(), now = now.UtcDateTime }, tx);
        }

        if (updated > 0)
        {
            // Gates hold wristbands in memory; the version tells each one to read its row again at its next scan.
            await connection.ExecuteAsync("UPDATE events SET wristbands_version = wristbands_version + 1 WHERE id = @eventId", new { eventId }, tx);
            await ChangeNotifications.NotifyEventChangedAsync(connection, tx, eventId);
        }

        var counts = new ImportCounts(RowsRead, created, updated, staged - created - updated, RejectedCount, assigned);
        await AuditTrail.AppendAsync(connection, tx, AuditEntry.By(
            caller, Job.OrganizationId, now, "wristbands.import", "import", Job.Id, null,
            new { eventId, counts.RowsRead, counts.Created, counts.Updated, counts.Unchanged, counts.Rejected, counts.Assigned }));
        await ImportJobStore.CompleteAsync(connection, tx, Job.Id, counts, Sorted(), now);
        await tx.CommitAsync(cancellationToken);
        return new WristbandMergeResult(counts, Sorted(), [.. changed]);
    }

    public async ValueTask DisposeAsync()
    {
        await tx.DisposeAsync();
        await connection.DisposeAsync();
    }

    /// <summary>The first rejections by line, whichever check found them.</summary>
    public IReadOnlyList<ImportRejection> Sorted() => [.. _rejections.OrderBy(r => r.Line).Take(ImportJobStore.RejectionsKept)];

    private async Task<(long Created, long Updated)> UpsertAsync(Guid eventId, DateTimeOffset now)
    {
        // Rows identical to what is stored change nothing and are left out before the upsert, so
        // importing a file again neither locks nor rewrites a million rows. An empty (or absent)
        // status, holder name or e-mail keeps what is stored: a file from a ticket shop that knows
        // no holders must not erase those the box office typed in. A new wristband is active.
        await connection.ExecuteAsync(
            """
            DELETE FROM import_stage s USING wristbands w
            WHERE w.event_id = @eventId AND w.nfc_id = s.nfc_id AND w.category = s.category AND w.status = coalesce(s.status, w.status)
              AND w.holder_name IS NOT DISTINCT FROM coalesce(s.holder_name, w.holder_name)
              AND w.holder_email IS NOT DISTINCT FROM coalesce(s.holder_email, w.holder_email)
            """,
            new { eventId },
            tx,
            commandTimeout: 0);
        long created = 0, updated = 0;
        foreach (var withStatus in new[] { true, false })
        {
            var status = withStatus ? "excluded.status" : "w.status";
            var (c, u) = await connection.QuerySingleAsync<(long Created, long Updated)>(
                $"""
                WITH merged AS (
                    INSERT INTO wristbands AS w (id, event_id, organization_id, nfc_id, category, status, created_at, updated_at, holder_name, holder_email, import_id)
                    SELECT s.id, @eventId, @organizationId, s.nfc_id, s.category, coalesce(s.status, 'active'), @now, @now, s.holder_name, s.holder_email, @jobId
                    FROM import_stage s WHERE (s.status IS NOT NULL) = @withStatus
                    ON CONFLICT (event_id, nfc_id) DO UPDATE SET
                        category = excluded.category,
                        status = {status},
                        holder_name = coalesce(excluded.holder_name, w.holder_name),
                        holder_email = coalesce(excluded.holder_email, w.holder_email),
                        updated_at = excluded.updated_at,
                        import_id = excluded.import_id
                    RETURNING (xmax = 0) AS created)
                SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM merged
                """,
                new { eventId, organizationId = Job.OrganizationId, now = now.UtcDateTime, jobId = Job.Id, withStatus },
                tx,
                commandTimeout: 0);
            created += c;
            updated += u;
        }

        var result = (created, updated);
        return result;
    }

    /// <summary>
    /// Resolves each row's series (an id, or a name that names one series of the event) once per
    /// distinct reference, rejects rows naming none, several or an ended one, and locks the named
    /// series' rows so their grains' writes wait for this merge instead of racing its counts.
    /// </summary>
    private async Task ResolveSeriesAsync(Guid eventId)
    {
        await ExecuteAsync(
            """
            CREATE TEMP TABLE import_series ON COMMIT DROP AS
            SELECT s.line, s.nfc_id, btrim(x.ref) AS ref
            FROM import_stage s CROSS JOIN LATERAL unnest(string_to_array(s.series, '|')) AS x (ref)
            WHERE s.series IS NOT NULL AND btrim(x.ref) <> ''
            """);
        await connection.ExecuteAsync(
            """
            CREATE TEMP TABLE import_series_refs ON COMMIT DROP AS
            SELECT r.ref, array_agg(es.id) FILTER (WHERE es.id IS NOT NULL) AS matches,
                   coalesce(bool_or(es.lifecycle_status IN ('completed', 'cancelled')), false) AS ended
            FROM (SELECT DISTINCT ref FROM import_series) r
            LEFT JOIN event_series es ON es.event_id = @eventId AND (es.id::text = lower(r.ref) OR es.name = r.ref)
            GROUP BY r.ref
            """,
            new { eventId },
            tx);
        await RejectAsync(
            """
            DELETE FROM import_stage s USING (
                SELECT x.line, min(CASE
                    WHEN r.matches IS NULL THEN 'unknown series ' || x.ref
                    WHEN cardinality(r.matches) > 1 THEN 'series name ' || x.ref || ' names ' || cardinality(r.matches) || ' series; use its id'
                    ELSE 'series ' || x.ref || ' has ended' END) AS reason
                FROM import_series x JOIN import_series_refs r ON r.ref = x.ref
                WHERE r.matches IS NULL OR cardinality(r.matches) > 1 OR r.ended
                GROUP BY x.line) b
            WHERE s.line = b.line
            RETURNING s.line, b.reason
            """,
            new { });
        await ExecuteAsync("DELETE FROM import_series x WHERE NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.line = x.line)");
        await connection.ExecuteAsync(
            """
            SELECT 1 FROM event_series WHERE id IN (SELECT matches[1] FROM import_series_refs WHERE cardinality(matches) = 1)
            ORDER BY id FOR UPDATE
            """,
            transaction: tx);
    }

    private async Task EnsureWithinLimitsAsync(Guid[] series)
    {
        var over = (await connection.QueryAsync<(Guid SeriesId, string Category, long Assigned, int Limit)>(
            """
            SELECT a.series_id, a.category, count(*), l.max_wristbands
            FROM series_wristband_assignments a
            JOIN series_category_limits l ON l.series_id = a.series_id AND l.category = a.category
            WHERE a.series_id = ANY(@series)
            GROUP BY a.series_id, a.category, l.max_wristbands
            HAVING count(*) > l.max_wristbands
            """,
            new { series },
            tx)).ToList();
        if (over.Count > 0)
        {
            throw new ImportRefusedException(string.Join(" ", over.Select(o =>
                $"Series {o.SeriesId} allows {o.Limit} wristbands of category '{o.Category}'; with this import it would have {o.Assigned}.")) +
                " Nothing was imported.");
        }
    }

    /// <summary>Runs a DELETE … RETURNING line, reason over the staged rows and records what it took out.</summary>
    private async Task RejectAsync(string deleteReturning, object args)
    {
        var (count, first) = await connection.QuerySingleAsync<(long Count, string First)>(
            $"""
            WITH gone AS ({deleteReturning})
            SELECT (SELECT count(*) FROM gone),
                   (SELECT coalesce(jsonb_agg(jsonb_build_object('line', f.line, 'reason', f.reason) ORDER BY f.line), '[]'::jsonb)::text
                    FROM (SELECT line, reason FROM gone ORDER BY line LIMIT {ImportJobStore.RejectionsKept}) f)
            """,
            args,
            tx,
            commandTimeout: 0);
        RejectedCount += count;
        _rejections.AddRange(JsonSerializer.Deserialize<List<ImportRejection>>(first, Json) ?? []);
    }

    private Task ExecuteAsync(string sql) => connection.ExecuteAsync(sql, transaction: tx, commandTimeout: 0);
}
