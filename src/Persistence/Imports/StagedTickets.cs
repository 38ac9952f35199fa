using EventSeries.Security;
using Dapper;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using EventSeries.Persistence.Tickets;
using Npgsql;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// A ticket file in its staging table, inside the transaction that will merge it by (event, source,
/// external id). Disposing it without <see cref="MergeAsync"/> rolls everything back.
/// </summary>
public sealed class StagedTickets(NpgsqlConnection connection, NpgsqlTransaction tx, ImportJobView job, DomainTime time)
    : StagedImport(connection, tx, job)
{
    /// <summary>
    /// Checks the staged rows as sets (a ticket twice in the file, an unknown ticket type, an unknown
    /// or ended series, a change the API would refuse too), takes the rejected ones out, updates the
    /// changed rows and inserts the new ones (a statement each) and adds the series they name. A holder
    /// change of a ticket paired to a wristband is copied to the band. A status change of a
    /// ticket paired to a wristband raises the event's <c>wristbands_version</c>, so that band's gate
    /// memory reads its ticket again at its next scan (no grain is called per row).
    /// </summary>
    public override async Task<ImportCounts> MergeAsync(Caller caller, ImportMode mode, CancellationToken cancellationToken)
    {
        var eventId = Job.EventId;
        var now = time.Now();

        await PrepareAsync("source, external_id", "'external_id ' || s.external_id || ' of source ' || s.source");
        await RejectAsync(
            """
            DELETE FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.event_id = @eventId AND c.name = s.ticket_type)
            RETURNING s.line, 'unknown ticket_type ' || s.ticket_type || ' (ticket types are the event''s wristband categories)' AS reason
            """,
            new { eventId });
        var assigns = await Connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM import_stage WHERE series IS NOT NULL)", transaction: Tx);
        if (assigns)
        {
            await ResolveSeriesAsync(eventId, "source, external_id");
        }

        await RejectRefusedChangesAsync(eventId, assigns);
        RefuseIfAnyRejected(mode);

        var staged = await Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM import_stage", transaction: Tx);
        // Paired tickets are few: what the file changes of them is found before the upsert.
        var paired = await Connection.QuerySingleAsync<(bool StatusChanged, Guid[] HolderChanged)>(
            """
            SELECT coalesce(bool_or(s.status IS NOT NULL AND s.status <> t.status), false),
                   coalesce(array_agg(t.wristband_id) FILTER (WHERE
                       coalesce(s.holder_name, t.holder_name) IS DISTINCT FROM t.holder_name
                       OR coalesce(s.holder_email, t.holder_email) IS DISTINCT FROM t.holder_email), '{}')
            FROM (SELECT source, external_id, status, holder_name, holder_email, wristband_id FROM tickets WHERE event_id = @eventId AND wristband_id IS NOT NULL) t
            JOIN import_stage s ON s.source = t.source AND s.external_id = t.external_id
            """,
            new { eventId },
            Tx,
            commandTimeout: 0);
        var (created, updated) = await UpsertAsync(eventId, now);
        await TicketStore.CopyHolderToBandsAsync(Connection, Tx, paired.HolderChanged, now);
        var assigned = assigns ? await AddSeriesAsync(eventId) : 0;
        if (paired.StatusChanged)
        {
            // A paired band's access grain holds its ticket's status in memory; the version tells
            // each one to read its rows again at its next scan.
            await Connection.ExecuteAsync("UPDATE events SET wristbands_version = wristbands_version + 1 WHERE id = @eventId", new { eventId }, Tx);
            await ChangeNotifications.NotifyEventChangedAsync(Connection, Tx, eventId);
        }

        var counts = new ImportCounts(RowsRead, created, updated, staged - created - updated, RejectedCount, assigned);
        await AuditTrail.AppendAsync(Connection, Tx, AuditEntry.By(
            caller, Job.OrganizationId, now, "tickets.import", "import", Job.Id, null,
            new { eventId, counts.RowsRead, counts.Created, counts.Updated, counts.Unchanged, counts.Rejected, counts.Assigned }));
        await ImportJobStore.CompleteAsync(Connection, Tx, Job.Id, counts, Sorted(), now);
        await Tx.CommitAsync(cancellationToken);
        return counts;
    }

    /// <summary>
    /// Rejects the rows that would change a stored ticket in a way <c>PUT /api/tickets/{id}</c>
    /// refuses too: anything of a void or refunded ticket (final), and the type or series of a ticket
    /// paired with a wristband (the band wears them). Only the few closed or paired tickets are joined.
    /// </summary>
    private async Task RejectRefusedChangesAsync(Guid eventId, bool assigns)
    {
        var addsSeries = assigns
            ? """
              EXISTS (SELECT 1 FROM import_series x JOIN import_series_refs r ON r.ref = x.ref
                      WHERE x.line = s.line AND NOT EXISTS (SELECT 1 FROM series_tickets st WHERE st.ticket_id = t.id AND st.series_id = r.matches[1]))
              """
            : "false";
        await RejectAsync(
            $"""
            DELETE FROM import_stage s USING (
                SELECT s.line, CASE
                    WHEN t.status IN ('void', 'refunded') THEN 'ticket ' || s.external_id || ' is ' || t.status || ' and cannot change any more'
                    WHEN s.ticket_type <> t.ticket_type THEN 'ticket ' || s.external_id || ' is paired with a wristband, which wears its type: the type cannot change (void the ticket and issue another)'
                    ELSE 'ticket ' || s.external_id || ' is paired with a wristband, which holds its series: no series can be added (void the ticket and issue another)' END AS reason
                FROM (SELECT id, source, external_id, ticket_type, status, holder_name, holder_email, wristband_id FROM tickets
                      WHERE event_id = @eventId AND (status IN ('void', 'refunded') OR wristband_id IS NOT NULL)) t
                JOIN import_stage s ON s.source = t.source AND s.external_id = t.external_id
                WHERE (t.status IN ('void', 'refunded') AND (s.ticket_type <> t.ticket_type OR coalesce(s.status, t.status) <> t.status
                        OR coalesce(s.holder_name, t.holder_name) IS DISTINCT FROM t.holder_name
                        OR coalesce(s.holder_email, t.holder_email) IS DISTINCT FROM t.holder_email OR {addsSeries}))
                   OR (t.wristband_id IS NOT NULL AND (s.ticket_type <> t.ticket_type OR {addsSeries}))) b
            WHERE s.line = b.line
            RETURNING s.line, b.reason
            """,
            new { eventId });
        if (assigns)
        {
            await DropRejectedSeriesAsync();
        }
    }

    private async Task<(long Created, long Updated)> UpsertAsync(Guid eventId, DateTimeOffset now)
    {
        // As for wristbands: rows identical to what is stored are left out before the upsert (a file
        // imported again neither locks nor rewrites a million rows), and an empty status, holder name
        // or e-mail keeps what is stored. A new ticket is valid.
        await Connection.ExecuteAsync(
            """
            DELETE FROM import_stage s USING tickets t
            WHERE t.event_id = @eventId AND t.source = s.source AND t.external_id = s.external_id
              AND t.ticket_type = s.ticket_type AND t.status = coalesce(s.status, t.status)
              AND t.holder_name IS NOT DISTINCT FROM coalesce(s.holder_name, t.holder_name)
              AND t.holder_email IS NOT DISTINCT FROM coalesce(s.holder_email, t.holder_email)
            """,
            new { eventId },
            Tx,
            commandTimeout: 0);

        // What is left is new or changed: existing rows are updated in one statement and new ones
        // inserted in another, without ON CONFLICT (its speculative insertion cost about a quarter
        // more per million rows). A ticket created by someone else between the two is refused by
        // the unique index, and the import fails whole (import it again).
        long updated = await Connection.ExecuteAsync(
            """
            UPDATE tickets t SET ticket_type = s.ticket_type, status = coalesce(s.status, t.status),
                holder_name = coalesce(s.holder_name, t.holder_name), holder_email = coalesce(s.holder_email, t.holder_email),
                updated_at = @now, import_id = @jobId
            FROM import_stage s
            WHERE t.event_id = @eventId AND t.source = s.source AND t.external_id = s.external_id
            """,
            new { eventId, now = now.UtcDateTime, jobId = Job.Id },
            Tx,
            commandTimeout: 0);
        long created = await Connection.ExecuteAsync(
            """
            INSERT INTO tickets (id, organization_id, event_id, external_id, source, holder_name, holder_email, ticket_type, status, created_at, updated_at, import_id)
            SELECT s.id, @organizationId, @eventId, s.external_id, s.source, s.holder_name, s.holder_email, s.ticket_type, coalesce(s.status, 'valid'), @now, @now, @jobId
            FROM import_stage s
            WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.event_id = @eventId AND t.source = s.source AND t.external_id = s.external_id)
            """,
            new { eventId, organizationId = Job.OrganizationId, now = now.UtcDateTime, jobId = Job.Id },
            Tx,
            commandTimeout: 0);
        return (created, updated);
    }

    /// <summary>Adds the series the rows name to their tickets (those it has stay); returns how many were added.</summary>
    private Task<long> AddSeriesAsync(Guid eventId) =>
        Connection.ExecuteScalarAsync<long>(
            """
            WITH added AS (
                INSERT INTO series_tickets (series_id, ticket_id)
                SELECT DISTINCT r.matches[1], t.id
                FROM import_series x JOIN import_series_refs r ON r.ref = x.ref
                JOIN tickets t ON t.event_id = @eventId AND t.source = x.source AND t.external_id = x.external_id
                WHERE NOT EXISTS (SELECT 1 FROM series_tickets st WHERE st.series_id = r.matches[1] AND st.ticket_id = t.id)
                RETURNING 1)
            SELECT count(*) FROM added
            """,
            new { eventId },
            Tx,
            commandTimeout: 0);
}
