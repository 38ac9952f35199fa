using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using EventSeries.Persistence.Stores;
using EventSeries.Series;
using Npgsql;

namespace EventSeries.Persistence.Recurrence;

/// <summary>
/// A recurring parent's children, written in bulk by the parent's grain: one INSERT … SELECT over
/// arrays for the rows, their gates, limits and creation transitions. New rows only: a child is
/// changed afterwards by its own grain. The unique (parent_series_id, sequence_number) index makes
/// generating the same occurrence twice impossible, even from two activations of the parent.
/// </summary>
public sealed class RecurringSeriesStore(NpgsqlDataSource db)
{
    /// <summary>The organization and IANA time zone of an event, or null when there is no such event.</summary>
    public async Task<(Guid OrganizationId, string TimeZone)?> FindEventAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(Guid OrganizationId, string TimeZone)>(
            "SELECT organization_id, time_zone FROM events WHERE id = @eventId", new { eventId });
        return rows.Cast<(Guid, string)?>().FirstOrDefault();
    }

    /// <summary>
    /// Inserts <paramref name="children"/> beyond the parent's generated-through mark and moves the
    /// mark to <paramref name="generatedThrough"/>, in one transaction guarded by the parent's version.
    /// Returns how many rows were new.
    /// </summary>
    public async Task<int> AddChildrenAsync(Guid parentId, int expectedVersion, int generatedThrough, DateTimeOffset now, ChildBatch children, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var eventId = await connection.ExecuteScalarAsync<Guid?>(
            """
            UPDATE event_series SET version = version + 1, updated_at = @now, recurrence_generated_through = @generatedThrough
            WHERE id = @parentId AND version = @expectedVersion RETURNING event_id
            """,
            new { parentId, expectedVersion, generatedThrough, now = now.UtcDateTime }, tx);
        if (eventId is not { } id)
        {
            throw WriteConflictException.StaleSeries();
        }

        var created = await InsertChildrenAsync(connection, tx, children);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyEventChangedAsync(connection, tx, id);
        await tx.CommitAsync();
        return created;
    }

    /// <summary>
    /// Inserts the children in the caller's transaction (the parent's own insert, or a continuation):
    /// rows, gate assignments, category limits and one creation transition each, plus a publishing
    /// transition when they start scheduled. Occurrences that already have a child are skipped.
    /// </summary>
    /// <summary>Inserts a batch of children in the transaction of their parent's own write.</summary>
    public static Task<int> InsertChildrenAsync(WriteTransaction transaction, ChildBatch batch) =>
        InsertChildrenAsync(transaction.Connection, transaction.Transaction, batch);

    private static async Task<int> InsertChildrenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ChildBatch batch)
    {
        if (batch.Children.IsEmpty)
        {
            return 0;
        }

        var template = batch.Template;
        var spec = template.Spec;
        return await connection.ExecuteScalarAsync<int>(
            """
            WITH src AS (
                SELECT * FROM unnest(@ids::uuid[], @sequences::int[], @starts::timestamptz[], @ends::timestamptz[]) AS s (id, seq, starts_at, ends_at)
            ), child AS (
                INSERT INTO event_series (id, organization_id, event_id, name, description, starts_at, ends_at,
                    checkin_opens_minutes_before, checkin_closes_minutes_after, capacity, lifecycle_status,
                    parent_series_id, sequence_number, version, created_by, created_at, updated_at, reentry_policy)
                SELECT s.id, @organizationId, @eventId, @name, @description, s.starts_at, s.ends_at, @opens, @closes, @capacity,
                    @lifecycle, @parentId, s.seq, 1, @userId, @now, @now, @reentry
                FROM src s
                ON CONFLICT (parent_series_id, sequence_number) WHERE parent_series_id IS NOT NULL DO NOTHING
                RETURNING id, sequence_number
            ), gates AS (
                INSERT INTO series_gates (series_id, gate_id, assigned_at)
                SELECT c.id, g, @now FROM child c CROSS JOIN unnest(@gateIds::uuid[]) AS g
            ), limits AS (
                INSERT INTO series_category_limits (series_id, category, max_wristbands)
                SELECT c.id, l.category, l.maximum FROM child c CROSS JOIN unnest(@categories::text[], @maxima::int[]) AS l (category, maximum)
            ), logged AS (
                INSERT INTO series_state_transitions (series_id, from_status, to_status, at, actor_user_id, actor, reason)
                SELECT c.id, t.from_status, t.to_status, @now, @userId, @actor,
                    CASE t.step WHEN 1 THEN format('Occurrence %s of recurring series %s.', c.sequence_number, @parentId) ELSE @publishReason END
                FROM child c
                CROSS JOIN (VALUES (1, NULL::text, 'draft'), (2, 'draft', 'scheduled')) AS t (step, from_status, to_status)
                WHERE t.step = 1 OR @publish
                ORDER BY c.sequence_number, t.step
            )
            SELECT count(*) FROM child
            """,
            new
            {
                ids = batch.Children.Select(c => c.Id).ToArray(),
                sequences = batch.Children.Select(c => c.SequenceNumber).ToArray(),
                starts = batch.Children.Select(c => c.StartsAt.UtcDateTime).ToArray(),
                ends = batch.Children.Select(c => c.EndsAt.UtcDateTime).ToArray(),
                organizationId = template.OrganizationId,
                eventId = template.EventId,
                name = spec.Name,
                description = spec.Description,
                opens = spec.Window.OpensMinutesBeforeStart,
                closes = spec.Window.ClosesMinutesAfterStart,
                capacity = spec.Capacity,
                lifecycle = (batch.Publish ? SeriesLifecycle.Scheduled : SeriesLifecycle.Draft).ToDb(),
                parentId = template.Id,
                userId = batch.Actor.UserId,
                actor = batch.Actor.Name,
                now = batch.At.UtcDateTime,
                reentry = spec.Reentry.ToDb(),
                gateIds = batch.GateIds.ToArray(),
                categories = batch.Limits.Select(l => l.Category).ToArray(),
                maxima = batch.Limits.Select(l => l.MaxWristbands).ToArray(),
                publish = batch.Publish,
                publishReason = batch.Actor.Reason,
            },
            tx);
    }

    /// <summary>The parent's children: id, sequence number and lifecycle, by sequence number.</summary>
    public async Task<IReadOnlyList<ChildRow>> ListChildrenAsync(Guid parentId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(Guid Id, int SequenceNumber, string Lifecycle)>(
            "SELECT id, sequence_number, lifecycle_status FROM event_series WHERE parent_series_id = @parentId ORDER BY sequence_number",
            new { parentId });
        return [.. rows.Select(r => new ChildRow(r.Id, r.SequenceNumber, DbText.FromDb<SeriesLifecycle>(r.Lifecycle)))];
    }

    /// <summary>How many children the parent has.</summary>
    public async Task<int> CountChildrenAsync(Guid parentId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM event_series WHERE parent_series_id = @parentId", new { parentId });
    }
}

/// <summary>One child to create: its id, its occurrence's position in the rule, and its dates.</summary>
public sealed record NewChild(Guid Id, int SequenceNumber, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// Children to create from a parent: the parent's row as template (organization, event, schedule
/// fields), the gates and limits to copy, who asked (and, when publishing, why), and whether they
/// start scheduled.
/// </summary>
public sealed record ChildBatch(
    SeriesRecord Template,
    ImmutableArray<NewChild> Children,
    ImmutableArray<Guid> GateIds,
    ImmutableArray<CategoryLimit> Limits,
    TransitionActor Actor,
    DateTimeOffset At,
    bool Publish);

/// <summary>A child as its parent sees it.</summary>
public sealed record ChildRow(Guid Id, int SequenceNumber, SeriesLifecycle Lifecycle);
