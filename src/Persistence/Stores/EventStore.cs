using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Events;
using EventSeries.Wristbands;
using EventSeries.Persistence.Notifications;
using EventSeries.Persistence.Audit;
using Npgsql;

namespace EventSeries.Persistence.Stores;

/// <summary>Rows of events, their categories and gates, and wristband registration.</summary>
public sealed class EventStore(NpgsqlDataSource db)
{
    /// <summary>Everything an event grain keeps in memory.</summary>
    public sealed record EventSnapshot(EventView Event, ImmutableArray<CategoryView> Categories, ImmutableArray<GateView> Gates);

    /// <summary>Loads an event with its categories and gates, or null.</summary>
    public async Task<EventSnapshot?> LoadAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>($"{EventRow.Select} WHERE id = @eventId", new { eventId });
        if (row is null)
        {
            return null;
        }

        var categories = await connection.QueryAsync<CategoryRow>(
            "SELECT name, description FROM categories WHERE event_id = @eventId ORDER BY name", new { eventId });
        var gates = await connection.QueryAsync<GateRow>($"{GateRow.Select} WHERE event_id = @eventId ORDER BY name", new { eventId });
        return new EventSnapshot(
            row.ToView(),
            [.. categories.Select(c => new CategoryView(c.Name, c.Description))],
            [.. gates.Select(g => g.ToView())]);
    }

    /// <summary>Inserts an event with its initial categories.</summary>
    public async Task InsertAsync(EventView view, ImmutableArray<CategoryView> categories, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO events (id, organization_id, name, description, time_zone, created_at, updated_at)
            VALUES (@Id, @OrganizationId, @Name, @Description, @TimeZone, @createdAt, @createdAt)
            """,
            new { view.Id, view.OrganizationId, view.Name, view.Description, view.TimeZone, createdAt = view.CreatedAt.UtcDateTime }, tx);
        foreach (var category in categories)
        {
            await UpsertCategoryAsync(connection, tx, view.Id, category);
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>Updates an event's editable fields.</summary>
    public async Task UpdateAsync(EventView view, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE events SET name = @Name, description = @Description, time_zone = @TimeZone, updated_at = @updatedAt WHERE id = @Id",
            new { view.Id, view.Name, view.Description, view.TimeZone, updatedAt = view.UpdatedAt.UtcDateTime }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyEventChangedAsync(connection, tx, view.Id);
        await tx.CommitAsync();
    }

    /// <summary>Deletes an event unless it has series that were published and not cancelled.</summary>
    public async Task DeleteAsync(Guid eventId, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var live = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM event_series WHERE event_id = @eventId AND lifecycle_status IN ('scheduled', 'active', 'completed')",
            new { eventId }, tx);
        if (live > 0)
        {
            throw new WriteConflictException(
                "event_has_series", $"The event has {live} scheduled, active or completed series; cancel them before deleting the event.");
        }

        await ChangeNotifications.NotifyDevicesChangedAsync(connection, tx, eventId);
        await connection.ExecuteAsync("DELETE FROM events WHERE id = @eventId", new { eventId }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyEventChangedAsync(connection, tx, eventId);
        await tx.CommitAsync();
    }

    /// <summary>Adds a category or updates its description.</summary>
    public async Task UpsertCategoryAsync(Guid eventId, CategoryView category, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await UpsertCategoryAsync(connection, tx, eventId, category);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    private static Task UpsertCategoryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid eventId, CategoryView category) =>
        connection.ExecuteAsync(
            """
            INSERT INTO categories (event_id, name, description) VALUES (@eventId, @Name, @Description)
            ON CONFLICT (event_id, name) DO UPDATE SET description = excluded.description
            """,
            new { eventId, category.Name, category.Description }, tx);

    /// <summary>Inserts or updates a gate (names are unique per event).</summary>
    public async Task UpsertGateAsync(GateView gate, Guid organizationId, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        try
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO gates (id, event_id, organization_id, name, kind, status, allowed_categories, created_at, updated_at)
                VALUES (@Id, @EventId, @organizationId, @Name, @kind, @status, @categories, @now, @now)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, status = excluded.status,
                    allowed_categories = excluded.allowed_categories, updated_at = excluded.updated_at
                """,
                new
                {
                    gate.Id, gate.EventId, organizationId, gate.Name, kind = gate.Kind.ToDb(), status = gate.Status.ToDb(),
                    categories = gate.AllowedCategories.ToArray(), now = now.UtcDateTime,
                },
                tx);
            await AuditTrail.AppendAsync(connection, tx, audit);
            await ChangeNotifications.NotifyEventChangedAsync(connection, tx, gate.EventId);
            await tx.CommitAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new WriteConflictException("gate_name_taken", $"The event already has a gate named '{gate.Name}'.");
        }
    }

    /// <summary>
    /// Inserts wristbands in one statement, all or nothing. NFC UIDs already registered for the
    /// event are reported together (the event grain is the only writer, so the check cannot race).
    /// </summary>
    public async Task InsertWristbandsAsync(Guid eventId, Guid organizationId, ImmutableArray<WristbandSpec> wristbands, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var nfcIds = wristbands.Select(w => w.NfcId).ToArray();
        var taken = (await connection.QueryAsync<string>(
            "SELECT nfc_id FROM wristbands WHERE event_id = @eventId AND nfc_id = ANY(@nfcIds) ORDER BY nfc_id LIMIT 20",
            new { eventId, nfcIds }, tx)).ToList();
        if (taken.Count > 0)
        {
            throw new WriteConflictException(
                "nfc_id_taken", $"These NFC UIDs are already registered for the event: {string.Join(", ", taken)}.");
        }

        try
        {
            await InsertAsync(connection, tx, eventId, organizationId, wristbands, nfcIds, now);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Only reachable if two writers raced past the check above; the index still holds.
            throw new WriteConflictException("nfc_id_taken", "Some of these NFC UIDs were registered for the event at the same time; retry.");
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    private static Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid eventId, Guid organizationId, ImmutableArray<WristbandSpec> wristbands, string[] nfcIds, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status, created_at, updated_at, holder_name, holder_email)
            SELECT w.id, @eventId, @organizationId, w.nfc_id, w.category, w.status, @now, @now, w.holder_name, w.holder_email
            FROM unnest(@ids, @nfcIds, @categories, @statuses, @holderNames, @holderEmails) AS w (id, nfc_id, category, status, holder_name, holder_email)
            """,
            new
            {
                eventId, organizationId, now = now.UtcDateTime, nfcIds,
                ids = wristbands.Select(w => w.Id).ToArray(),
                categories = wristbands.Select(w => w.Category).ToArray(),
                statuses = wristbands.Select(w => w.Status.ToDb()).ToArray(),
                holderNames = wristbands.Select(w => w.HolderName).ToArray(),
                holderEmails = wristbands.Select(w => w.HolderEmail).ToArray(),
            },
            tx);

    private sealed class EventRow
    {
        public const string Select =
            "SELECT id, organization_id AS OrganizationId, name, description, time_zone AS TimeZone, created_at AS CreatedAt, updated_at AS UpdatedAt FROM events";

        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public string Name { get; set; } = "";

        public string? Description { get; set; }

        public string TimeZone { get; set; } = "UTC";

        public DateTime CreatedAt { get; set; }

        public DateTime UpdatedAt { get; set; }

        public EventView ToView() => new(Id, OrganizationId, Name, Description, TimeZone, DbText.Utc(CreatedAt), DbText.Utc(UpdatedAt));
    }

    private sealed class CategoryRow
    {
        public string Name { get; set; } = "";

        public string? Description { get; set; }
    }
}
