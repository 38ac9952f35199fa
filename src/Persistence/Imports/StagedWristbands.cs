using EventSeries.Security;
using Dapper;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using Npgsql;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// A wristband file in its staging table, inside the transaction that will merge it by NFC UID.
/// Disposing it without <see cref="MergeAsync"/> rolls everything back: nothing of the file is written.
/// </summary>
public sealed class StagedWristbands(
    NpgsqlConnection connection, NpgsqlTransaction tx, ImportJobView job, DomainTime time)
    : StagedImport(connection, tx, job)
{
    /// <summary>
    /// Checks the staged rows as sets (a UID twice in the file, an unknown category, an unknown or
    /// ended series), takes the rejected ones out, then updates the changed rows and inserts the new
    /// ones (a statement each) and assigns the series they name. With <see cref="ImportMode.AllOrNothing"/>, any rejection refuses all.
    /// </summary>
    public override async Task<ImportCounts> MergeAsync(Caller caller, ImportMode mode, CancellationToken cancellationToken)
    {
        var eventId = Job.EventId;
        var now = time.Now();

        await PrepareAsync("nfc_id", "'nfc_id ' || s.nfc_id");
        await RejectAsync(
            """
            DELETE FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.event_id = @eventId AND c.name = s.category)
            RETURNING s.line, 'unknown category ' || s.category || ' (the event''s categories are defined on the event)' AS reason
            """,
            new { eventId });
        var assigns = await Connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM import_stage WHERE series IS NOT NULL)", transaction: Tx);
        if (assigns)
        {
            await ResolveAndLockSeriesAsync(eventId);
        }

        RefuseIfAnyRejected(mode);

        var staged = await Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM import_stage", transaction: Tx);
        var (created, updated) = await UpsertAsync(eventId, now);
        var changed = new HashSet<Guid>();
        long assigned = 0;
        if (updated > 0)
        {
            // A category changed by the file moves with the wristband into its assignments.
            changed.UnionWith(await Connection.QueryAsync<Guid>(
                """
                UPDATE series_wristband_assignments a SET category = w.category FROM wristbands w
                WHERE w.event_id = @eventId AND w.import_id = @jobId AND a.wristband_id = w.id AND a.category <> w.category
                RETURNING a.series_id
                """,
                new { eventId, jobId = Job.Id },
                Tx));
        }

        if (assigns)
        {
            var added = (await Connection.QueryAsync<(Guid SeriesId, long Count)>(
                """
                WITH added AS (
                    INSERT INTO series_wristband_assignments (series_id, wristband_id, category, assigned_at)
                    SELECT DISTINCT r.matches[1], w.id, w.category, @now::timestamptz
                    FROM import_series x JOIN import_series_refs r ON r.ref = x.ref
                    JOIN wristbands w ON w.event_id = @eventId AND w.nfc_id = x.nfc_id
                    WHERE NOT EXISTS (SELECT 1 FROM series_wristband_assignments a WHERE a.series_id = r.matches[1] AND a.wristband_id = w.id)
                    RETURNING series_id)
                SELECT series_id, count(*) FROM added GROUP BY series_id
                """,
                new { eventId, now = now.UtcDateTime },
                Tx)).ToList();
            assigned = added.Sum(a => a.Count);
            changed.UnionWith(added.Select(a => a.SeriesId));
        }

        if (changed.Count > 0)
        {
            await EnsureWithinLimitsAsync([.. changed]);
            await Connection.ExecuteAsync(
                "UPDATE event_series SET version = version + 1, updated_at = @now WHERE id = ANY(@series)",
                new { series = changed.ToArray(), now = now.UtcDateTime }, Tx);
        }

        if (updated > 0)
        {
            // Gates hold wristbands in memory; the version tells each one to read its row again at its next scan.
            await Connection.ExecuteAsync("UPDATE events SET wristbands_version = wristbands_version + 1 WHERE id = @eventId", new { eventId }, Tx);
            await ChangeNotifications.NotifyEventChangedAsync(Connection, Tx, eventId);
        }

        var counts = new ImportCounts(RowsRead, created, updated, staged - created - updated, RejectedCount, assigned);
        await AuditTrail.AppendAsync(Connection, Tx, AuditEntry.By(
            caller, Job.OrganizationId, now, "wristbands.import", "import", Job.Id, null,
            new { eventId, counts.RowsRead, counts.Created, counts.Updated, counts.Unchanged, counts.Rejected, counts.Assigned }));
        await ImportJobStore.CompleteAsync(Connection, Tx, Job.Id, counts, Sorted(), now);
        await Tx.CommitAsync(cancellationToken);
        return counts;
    }

    private async Task<(long Created, long Updated)> UpsertAsync(Guid eventId, DateTimeOffset now)
    {
        // Rows identical to what is stored change nothing and are left out before the upsert, so
        // importing a file again neither locks nor rewrites a million rows. An empty (or absent)
        // status, holder name or e-mail keeps what is stored: a file from a ticket shop that knows
        // no holders must not erase those the box office typed in. A new wristband is active.
        await Connection.ExecuteAsync(
            """
            DELETE FROM import_stage s USING wristbands w
            WHERE w.event_id = @eventId AND w.nfc_id = s.nfc_id AND w.category = s.category AND w.status = coalesce(s.status, w.status)
              AND w.holder_name IS NOT DISTINCT FROM coalesce(s.holder_name, w.holder_name)
              AND w.holder_email IS NOT DISTINCT FROM coalesce(s.holder_email, w.holder_email)
            """,
            new { eventId },
            Tx,
            commandTimeout: 0);

        // What is left is new or changed: existing rows are updated in one statement and new ones
        // inserted in another, without ON CONFLICT (its speculative insertion cost about a quarter
        // more per million rows). A UID registered by someone else between the two is refused by
        // the unique index, and the import fails whole (import it again).
        var updated = await Connection.ExecuteAsync(
            """
            UPDATE wristbands w SET category = s.category, status = coalesce(s.status, w.status),
                holder_name = coalesce(s.holder_name, w.holder_name), holder_email = coalesce(s.holder_email, w.holder_email),
                updated_at = @now, import_id = @jobId
            FROM import_stage s
            WHERE w.event_id = @eventId AND w.nfc_id = s.nfc_id
            """,
            new { eventId, now = now.UtcDateTime, jobId = Job.Id },
            Tx,
            commandTimeout: 0);
        var created = await Connection.ExecuteAsync(
            """
            INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status, created_at, updated_at, holder_name, holder_email, import_id)
            SELECT s.id, @eventId, @organizationId, s.nfc_id, s.category, coalesce(s.status, 'active'), @now, @now, s.holder_name, s.holder_email, @jobId
            FROM import_stage s
            WHERE NOT EXISTS (SELECT 1 FROM wristbands w WHERE w.event_id = @eventId AND w.nfc_id = s.nfc_id)
            """,
            new { eventId, organizationId = Job.OrganizationId, now = now.UtcDateTime, jobId = Job.Id },
            Tx,
            commandTimeout: 0);
        return (created, updated);
    }

    /// <summary>
    /// Resolves the rows' series (see <see cref="StagedImport.ResolveSeriesAsync"/>) and locks the
    /// named series' rows, so their grains' writes wait for this merge instead of racing its counts.
    /// </summary>
    private async Task ResolveAndLockSeriesAsync(Guid eventId)
    {
        await ResolveSeriesAsync(eventId, "nfc_id");
        await Connection.ExecuteAsync(
            """
            SELECT 1 FROM event_series WHERE id IN (SELECT matches[1] FROM import_series_refs WHERE cardinality(matches) = 1)
            ORDER BY id FOR UPDATE
            """,
            transaction: Tx);
    }

    private async Task EnsureWithinLimitsAsync(Guid[] series)
    {
        var over = (await Connection.QueryAsync<(Guid SeriesId, string Category, long Assigned, int Limit)>(
            """
            SELECT a.series_id, a.category, count(*), l.max_wristbands
            FROM series_wristband_assignments a
            JOIN series_category_limits l ON l.series_id = a.series_id AND l.category = a.category
            WHERE a.series_id = ANY(@series)
            GROUP BY a.series_id, a.category, l.max_wristbands
            HAVING count(*) > l.max_wristbands
            """,
            new { series },
            Tx)).ToList();
        if (over.Count > 0)
        {
            throw new ImportRefusedException(string.Join(" ", over.Select(o =>
                $"Series {o.SeriesId} allows {o.Limit} wristbands of category '{o.Category}'; with this import it would have {o.Assigned}.")) +
                " Nothing was imported.");
        }
    }
}
