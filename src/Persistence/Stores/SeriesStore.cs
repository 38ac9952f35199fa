using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Series;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using Npgsql;

namespace EventSeries.Persistence.Stores;

/// <summary>
/// Rows of one series and its children (gates, category limits, wristband assignments,
/// transitions). Every write bumps the series' version in the same transaction, guarded by the
/// version the grain last saw, so a stale duplicate activation fails instead of overwriting.
/// </summary>
public sealed class SeriesStore(NpgsqlDataSource db)
{
    /// <summary>Loads a series and its children, or null when it does not exist.</summary>
    public async Task<SeriesSnapshot?> LoadAsync(Guid seriesId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<SeriesRow>(
            $"SELECT {SeriesRow.Columns} FROM event_series WHERE id = @seriesId", new { seriesId });
        if (row is null)
        {
            return null;
        }

        var gates = await connection.QueryAsync<Guid>(
            "SELECT gate_id FROM series_gates WHERE series_id = @seriesId ORDER BY assigned_at, gate_id", new { seriesId });
        var limits = await connection.QueryAsync<(string Category, int Max)>(
            "SELECT category, max_wristbands FROM series_category_limits WHERE series_id = @seriesId", new { seriesId });
        var assigned = await connection.QueryAsync<(string Category, long Count)>(
            "SELECT category, count(*) FROM series_wristband_assignments WHERE series_id = @seriesId GROUP BY category", new { seriesId });
        var transitions = await connection.QueryAsync<TransitionRow>(
            $"{TransitionRow.Select} WHERE series_id = @seriesId ORDER BY id", new { seriesId });
        return new SeriesSnapshot(
            row.ToRecord(),
            [.. gates],
            limits.ToImmutableDictionary(l => l.Category, l => l.Max),
            assigned.ToImmutableDictionary(a => a.Category, a => (int)a.Count),
            [.. transitions.Select(t => t.ToView())]);
    }

    /// <summary>
    /// Inserts a new series with its gates, limits, its first (creation) transition and its audit
    /// entry; <paramref name="alsoInTransaction"/> (a recurring parent's first children) commits with it.
    /// </summary>
    public async Task<SeriesTransition> InsertAsync(
        SeriesRecord series, ImmutableArray<Guid> gateIds, ImmutableArray<CategoryLimit> limits, TransitionActor actor, AuditEntry audit,
        AlongsideWrite? alsoInTransaction = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var spec = series.Spec;
        await connection.ExecuteAsync(
            """
            INSERT INTO event_series (id, organization_id, event_id, name, description, starts_at, ends_at,
                checkin_opens_minutes_before, checkin_closes_minutes_after, capacity, lifecycle_status,
                parent_series_id, sequence_number, version, created_by, created_at, updated_at, reentry_policy,
                is_recurring, recurrence_pattern, recurrence_time_zone, recurrence_generated_through)
            VALUES (@Id, @OrganizationId, @EventId, @name, @description, @startsAt, @endsAt, @opens, @closes, @capacity,
                @lifecycle, @ParentSeriesId, @SequenceNumber, @Version, @CreatedBy, @createdAt, @createdAt, @reentry,
                @IsRecurring, @RecurrencePattern, @RecurrenceTimeZone, @GeneratedThrough)
            """,
            new
            {
                series.Id, series.OrganizationId, series.EventId, name = spec.Name, description = spec.Description,
                startsAt = spec.StartsAt.UtcDateTime, endsAt = spec.EndsAt.UtcDateTime,
                opens = spec.Window.OpensMinutesBeforeStart, closes = spec.Window.ClosesMinutesAfterStart, capacity = spec.Capacity,
                lifecycle = series.Lifecycle.ToDb(), series.ParentSeriesId, series.SequenceNumber, series.Version, series.CreatedBy,
                createdAt = series.CreatedAt.UtcDateTime, reentry = spec.Reentry.ToDb(),
                series.IsRecurring, series.RecurrencePattern, series.RecurrenceTimeZone, series.GeneratedThrough,
            },
            tx);
        await InsertGatesAsync(connection, tx, series.Id, gateIds, series.CreatedAt);
        await UpsertLimitsAsync(connection, tx, series.Id, limits);
        var transition = await InsertTransitionAsync(connection, tx, series.Id, null, series.Lifecycle, series.CreatedAt, actor);
        await AuditTrail.AppendAsync(connection, tx, audit);
        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(new WriteTransaction(connection, tx));
        }

        await ChangeNotifications.NotifyEventChangedAsync(connection, tx, series.EventId);
        await tx.CommitAsync();
        return transition;
    }

    /// <summary>Stores new schedule fields; <paramref name="alongside"/> writes in the same transaction (a recurring parent's job).</summary>
    public Task UpdateSpecAsync(
        Guid seriesId, SeriesSpec spec, int expectedVersion, DateTimeOffset now, AuditEntry audit, AlongsideWrite? alongside = null) =>
        InVersionedTransactionAsync(seriesId, expectedVersion, now, audit, async (connection, tx) =>
        {
            await connection.ExecuteAsync(
                """
                UPDATE event_series SET name = @Name, description = @Description, starts_at = @startsAt, ends_at = @endsAt,
                    checkin_opens_minutes_before = @opens, checkin_closes_minutes_after = @closes, capacity = @Capacity,
                    reentry_policy = @reentry
                WHERE id = @seriesId
                """,
                new
                {
                    seriesId, spec.Name, spec.Description, startsAt = spec.StartsAt.UtcDateTime, endsAt = spec.EndsAt.UtcDateTime,
                    opens = spec.Window.OpensMinutesBeforeStart, closes = spec.Window.ClosesMinutesAfterStart, spec.Capacity,
                    reentry = spec.Reentry.ToDb(),
                },
                tx);
            if (alongside is not null)
            {
                await alongside(new WriteTransaction(connection, tx));
            }
        });

    /// <summary>Moves the lifecycle and logs the transition, atomically; <paramref name="alongside"/> writes in the same transaction.</summary>
    public async Task<SeriesTransition> TransitionAsync(
        Guid seriesId, SeriesLifecycle from, SeriesLifecycle to, int expectedVersion, DateTimeOffset at, TransitionActor actor, AuditEntry audit,
        AlongsideWrite? alongside = null)
    {
        SeriesTransition? logged = null;
        await InVersionedTransactionAsync(seriesId, expectedVersion, at, audit, async (connection, tx) =>
        {
            await connection.ExecuteAsync(
                "UPDATE event_series SET lifecycle_status = @to WHERE id = @seriesId", new { seriesId, to = to.ToDb() }, tx);
            logged = await InsertTransitionAsync(connection, tx, seriesId, from, to, at, actor);
            if (alongside is not null)
            {
                await alongside(new WriteTransaction(connection, tx));
            }
        });
        return logged!;
    }

    /// <summary>Deletes the series and (by cascade) its children.</summary>
    public async Task DeleteAsync(Guid seriesId, int expectedVersion, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var eventId = await connection.ExecuteScalarAsync<Guid?>(
            "DELETE FROM event_series WHERE id = @seriesId AND version = @expectedVersion RETURNING event_id", new { seriesId, expectedVersion }, tx);
        if (eventId is not { } id)
        {
            throw StaleVersion();
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyEventChangedAsync(connection, tx, id);
        await tx.CommitAsync();
    }

    /// <summary>Adds gate assignments (existing ones are kept).</summary>
    public Task AddGatesAsync(Guid seriesId, ImmutableArray<Guid> gateIds, int expectedVersion, DateTimeOffset now, AuditEntry audit) =>
        InVersionedTransactionAsync(seriesId, expectedVersion, now, audit, (connection, tx) => InsertGatesAsync(connection, tx, seriesId, gateIds, now));

    /// <summary>Removes one gate assignment.</summary>
    public Task RemoveGateAsync(Guid seriesId, Guid gateId, int expectedVersion, DateTimeOffset now, AuditEntry audit) =>
        InVersionedTransactionAsync(seriesId, expectedVersion, now, audit, (connection, tx) => connection.ExecuteAsync(
            "DELETE FROM series_gates WHERE series_id = @seriesId AND gate_id = @gateId", new { seriesId, gateId }, tx));

    /// <summary>Sets category limits (other categories keep theirs).</summary>
    public Task SetLimitsAsync(Guid seriesId, ImmutableArray<CategoryLimit> limits, int expectedVersion, DateTimeOffset now, AuditEntry audit) =>
        InVersionedTransactionAsync(seriesId, expectedVersion, now, audit, (connection, tx) => UpsertLimitsAsync(connection, tx, seriesId, limits), changesScanRules: false);

    /// <summary>The organization an event belongs to, or null when there is no such event.</summary>
    /// <summary>Whether the series' row still exists (deleting its event deletes it by cascade).</summary>
    /// <summary>The series' version now, or null when its row is gone.</summary>
    public async Task<int?> VersionAsync(Guid seriesId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int?>("SELECT version FROM event_series WHERE id = @seriesId", new { seriesId });
    }

    public async Task<Guid?> FindEventOrganizationAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid?>("SELECT organization_id FROM events WHERE id = @eventId", new { eventId });
    }

    /// <summary>Which of the given gate ids are gates of the event.</summary>
    public async Task<HashSet<Guid>> FindEventGatesAsync(Guid eventId, Guid[] gateIds)
    {
        await using var connection = await db.OpenConnectionAsync();
        var found = await connection.QueryAsync<Guid>(
            "SELECT id FROM gates WHERE event_id = @eventId AND id = ANY(@gateIds)", new { eventId, gateIds });
        return [.. found];
    }

    /// <summary>The event's category names.</summary>
    public async Task<HashSet<string>> GetEventCategoriesAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var found = await connection.QueryAsync<string>("SELECT name FROM categories WHERE event_id = @eventId", new { eventId });
        return [.. found];
    }

    /// <summary>The event's wristbands among the given ids and NFC UIDs.</summary>
    public async Task<List<ResolvedWristband>> ResolveWristbandsAsync(Guid eventId, Guid[] ids, string[] nfcIds)
    {
        await using var connection = await db.OpenConnectionAsync();
        var found = await connection.QueryAsync<ResolvedWristband>(
            "SELECT id, nfc_id AS NfcId, category FROM wristbands WHERE event_id = @eventId AND (id = ANY(@ids) OR nfc_id = ANY(@nfcIds))",
            new { eventId, ids, nfcIds });
        return [.. found];
    }

    /// <summary>How many wristbands of each category are assigned to the series (after an exchange assigned some elsewhere).</summary>
    public async Task<ImmutableDictionary<string, int>> CountAssignedAsync(Guid seriesId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var assigned = await connection.QueryAsync<(string Category, long Count)>(
            "SELECT category, count(*) FROM series_wristband_assignments WHERE series_id = @seriesId GROUP BY category", new { seriesId });
        return assigned.ToImmutableDictionary(a => a.Category, a => (int)a.Count);
    }

    /// <summary>Which of the given wristbands are already assigned to the series.</summary>
    public async Task<HashSet<Guid>> FindAssignedAsync(Guid seriesId, Guid[] wristbandIds)
    {
        await using var connection = await db.OpenConnectionAsync();
        var found = await connection.QueryAsync<Guid>(
            "SELECT wristband_id FROM series_wristband_assignments WHERE series_id = @seriesId AND wristband_id = ANY(@wristbandIds)",
            new { seriesId, wristbandIds });
        return [.. found];
    }

    /// <summary>Inserts assignments in one statement.</summary>
    public Task AssignAsync(Guid seriesId, IReadOnlyCollection<ResolvedWristband> wristbands, int expectedVersion, DateTimeOffset now, AuditEntry audit) =>
        InVersionedTransactionAsync(seriesId, expectedVersion, now, audit, (connection, tx) => connection.ExecuteAsync(
            """
            INSERT INTO series_wristband_assignments (series_id, wristband_id, category, assigned_at)
            SELECT @seriesId, a.id, a.category, @now FROM unnest(@ids, @categories) AS a (id, category)
            """,
            new { seriesId, now = now.UtcDateTime, ids = wristbands.Select(w => w.Id).ToArray(), categories = wristbands.Select(w => w.Category).ToArray() },
            tx),
            changesScanRules: false);

    /// <summary>
    /// Assigns every wristband of the event that matches (a category, an import, both or neither)
    /// in one statement; refuses all (409 category_limit) when a limit would be passed. Returns the
    /// assignments added per category and how many matching wristbands were assigned already.
    /// </summary>
    public async Task<(Dictionary<string, int> Added, int Already)> AssignInBulkAsync(
        Guid seriesId, Guid eventId, string? category, Guid? importId, IReadOnlyDictionary<string, int> limits, int expectedVersion, DateTimeOffset now, AuditEntry audit)
    {
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        long matching = 0;
        await InVersionedTransactionAsync(
            seriesId,
            expectedVersion,
            now,
            audit,
            async (connection, tx) =>
            {
                var args = new { seriesId, eventId, category, importId, now = now.UtcDateTime };
                await connection.ExecuteAsync(BulkSql.Settings, transaction: tx);
                if (category is not null && !await connection.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM categories WHERE event_id = @eventId AND name = @category)", args, tx))
                {
                    throw new RowNotFoundException("Category");
                }

                // An import of another event (or organization) is not found here: tenancy is checked where the rows are.
                if (importId is not null && !await connection.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM import_jobs WHERE id = @importId AND event_id = @eventId)", args, tx))
                {
                    throw new RowNotFoundException("Import");
                }

                const string matches =
                    "w.event_id = @eventId AND (@category::text IS NULL OR w.category = @category) AND (@importId::uuid IS NULL OR w.import_id = @importId)";
                matching = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM wristbands w WHERE {matches}", args, tx, commandTimeout: 0);
                // Not ON CONFLICT: its speculative insertion cost a quarter more per million rows. The
                // series' row is locked by the version bump above, so only an exchange (its own
                // transaction) could add one of these meanwhile; the unique index refuses that race.
                IEnumerable<(string Category, long Count)> rows;
                try
                {
                    rows = await connection.QueryAsync<(string Category, long Count)>(
                        $"""
                        WITH added AS (
                            INSERT INTO series_wristband_assignments (series_id, wristband_id, category, assigned_at)
                            SELECT @seriesId, w.id, w.category, @now FROM wristbands w
                            WHERE {matches}
                              AND NOT EXISTS (SELECT 1 FROM series_wristband_assignments a WHERE a.series_id = @seriesId AND a.wristband_id = w.id)
                            RETURNING category)
                        SELECT category, count(*) FROM added GROUP BY category
                        """,
                        args,
                        tx,
                        commandTimeout: 0);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new WriteConflictException("assigned_meanwhile", "A wristband was assigned to the series by someone else at the same moment; nothing was assigned. Retry.");
                }
                foreach (var (addedCategory, count) in rows)
                {
                    added[addedCategory] = (int)count;
                }

                var limited = added.Keys.Where(limits.ContainsKey).ToArray();
                if (limited.Length == 0)
                {
                    return;
                }

                var over = (await connection.QueryAsync<(string Category, long Count)>(
                    "SELECT category, count(*) FROM series_wristband_assignments WHERE series_id = @seriesId AND category = ANY(@limited) GROUP BY category",
                    new { seriesId, limited },
                    tx)).Where(c => c.Count > limits[c.Category]).ToList();
                if (over.Count > 0)
                {
                    throw new WriteConflictException("category_limit", string.Join(" ", over.Select(o =>
                        $"Category '{o.Category}' allows {limits[o.Category]} wristbands; this would make {o.Count}.")) + " Nothing was assigned.");
                }
            },
            changesScanRules: false);
        return (added, (int)(matching - added.Values.Sum()));
    }

    /// <summary>Removes one assignment; returns the wristband's category and NFC UID (404 when it was not assigned).</summary>
    public async Task<(string Category, string NfcId)> UnassignAsync(Guid seriesId, Guid wristbandId, int expectedVersion, DateTimeOffset now, AuditEntry audit)
    {
        (string Category, string NfcId)? removed = null;
        await InVersionedTransactionAsync(
            seriesId,
            expectedVersion,
            now,
            audit,
            async (connection, tx) =>
            {
                var rows = await connection.QueryAsync<(string Category, string NfcId)>(
                    """
                    DELETE FROM series_wristband_assignments a USING wristbands w
                    WHERE a.series_id = @seriesId AND a.wristband_id = @wristbandId AND w.id = a.wristband_id
                    RETURNING a.category, w.nfc_id
                    """,
                    new { seriesId, wristbandId },
                    tx);
                removed = rows.Cast<(string, string)?>().FirstOrDefault()
                    ?? throw new RowNotFoundException("Wristband assignment"); // rolls back: no version bump, no audit entry
            },
            changesScanRules: false);
        return removed!.Value;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction that first bumps the series' version (or fails
    /// as stale) and records <paramref name="audit"/>; <paramref name="changesScanRules"/> also tells
    /// every silo to reload the event's rules.
    /// </summary>
    private async Task InVersionedTransactionAsync(
        Guid seriesId, int expectedVersion, DateTimeOffset now, AuditEntry audit, Func<NpgsqlConnection, NpgsqlTransaction, Task> write, bool changesScanRules = true)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var eventId = await connection.ExecuteScalarAsync<Guid?>(
            "UPDATE event_series SET version = version + 1, updated_at = @now WHERE id = @seriesId AND version = @expectedVersion RETURNING event_id",
            new { seriesId, expectedVersion, now = now.UtcDateTime }, tx);
        if (eventId is not { } id)
        {
            throw StaleVersion();
        }

        await write(connection, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        if (changesScanRules)
        {
            await ChangeNotifications.NotifyEventChangedAsync(connection, tx, id);
        }

        await tx.CommitAsync();
    }

    private static WriteConflictException StaleVersion() => WriteConflictException.StaleSeries();

    private static Task InsertGatesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid seriesId, ImmutableArray<Guid> gateIds, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO series_gates (series_id, gate_id, assigned_at) SELECT @seriesId, g, @now FROM unnest(@gateIds) AS g
            ON CONFLICT DO NOTHING
            """,
            new { seriesId, gateIds = gateIds.ToArray(), now = now.UtcDateTime }, tx);

    private static Task UpsertLimitsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid seriesId, ImmutableArray<CategoryLimit> limits) =>
        connection.ExecuteAsync(
            """
            INSERT INTO series_category_limits (series_id, category, max_wristbands)
            SELECT @seriesId, l.category, l.max FROM unnest(@categories, @maxima) AS l (category, max)
            ON CONFLICT (series_id, category) DO UPDATE SET max_wristbands = excluded.max_wristbands
            """,
            new { seriesId, categories = limits.Select(l => l.Category).ToArray(), maxima = limits.Select(l => l.MaxWristbands).ToArray() }, tx);

    private static async Task<SeriesTransition> InsertTransitionAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid seriesId, SeriesLifecycle? from, SeriesLifecycle to, DateTimeOffset at, TransitionActor actor)
    {
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO series_state_transitions (series_id, from_status, to_status, at, actor_user_id, actor, reason)
            VALUES (@seriesId, @from, @to, @at, @userId, @name, @reason) RETURNING id
            """,
            new { seriesId, from = from?.ToDb(), to = to.ToDb(), at = at.UtcDateTime, userId = actor.UserId, name = actor.Name, reason = actor.Reason },
            tx);
        return new SeriesTransition(id, seriesId, from, to, at, actor.UserId, actor.Name, actor.Reason);
    }
}
