using Dapper;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Errors;
using EventSeries.Tickets;
using EventSeries.Wristbands;
using Npgsql;

namespace EventSeries.Persistence.Tickets;

/// <summary>
/// Rows of one ticket and its series, and the box-office exchange that pairs it with a wristband
/// (the ticket, the wristband's category and its series assignments in one transaction).
/// </summary>
public sealed partial class TicketStore(NpgsqlDataSource db)
{
    /// <summary>A ticket with its series, or null.</summary>
    public async Task<TicketView?> LoadAsync(Guid ticketId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<TicketRow>($"{TicketRow.Select} WHERE t.id = @ticketId", new { ticketId });
        return row is null ? null : (await TicketRow.ToViewsAsync(connection, [row]))[0];
    }

    /// <summary>The event's organization and category names, or null when there is no such event.</summary>
    public async Task<(Guid OrganizationId, HashSet<string> Categories)?> FindEventAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var organizationId = await connection.ExecuteScalarAsync<Guid?>("SELECT organization_id FROM events WHERE id = @eventId", new { eventId });
        if (organizationId is not { } org)
        {
            return null;
        }

        var categories = await connection.QueryAsync<string>("SELECT name FROM categories WHERE event_id = @eventId", new { eventId });
        return (org, [.. categories]);
    }

    /// <summary>Which of the given series ids are series of the event.</summary>
    public async Task<HashSet<Guid>> FindEventSeriesAsync(Guid eventId, Guid[] seriesIds)
    {
        await using var connection = await db.OpenConnectionAsync();
        var found = await connection.QueryAsync<Guid>(
            "SELECT id FROM event_series WHERE event_id = @eventId AND id = ANY(@seriesIds)", new { eventId, seriesIds });
        return [.. found];
    }

    /// <summary>A wristband of the event by NFC UID, with the ticket it is paired to (if any), or null.</summary>
    public async Task<WristbandForExchange?> FindWristbandAsync(Guid eventId, string nfcId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(Guid Id, string Status, Guid? TicketId)>(
            """
            SELECT w.id, w.status, t.id AS ticket_id FROM wristbands w LEFT JOIN tickets t ON t.wristband_id = w.id
            WHERE w.event_id = @eventId AND w.nfc_id = @nfcId
            """,
            new { eventId, nfcId });
        return rows.Cast<(Guid Id, string Status, Guid? TicketId)?>().FirstOrDefault() is { } r ? new WristbandForExchange(r.Id, nfcId, DbText.FromDb<WristbandStatus>(r.Status), r.TicketId) : null;
    }

    /// <summary>Inserts a new ticket with its series; 409 <c>ticket_exists</c> when its external id is taken for the event and source.</summary>
    public async Task InsertAsync(TicketView ticket, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await UniqueExternalIdAsync(() => connection.ExecuteAsync(
            """
            INSERT INTO tickets (id, organization_id, event_id, external_id, source, holder_name, holder_email, ticket_type, status, created_at, updated_at)
            VALUES (@Id, @OrganizationId, @EventId, @ExternalId, @Source, @HolderName, @HolderEmail, @TicketType, @status, @now, @now)
            """,
            new
            {
                ticket.Id, ticket.OrganizationId, ticket.EventId, ticket.ExternalId, ticket.Source, ticket.HolderName, ticket.HolderEmail,
                ticket.TicketType, status = ticket.Status.ToDb(), now = ticket.CreatedAt.UtcDateTime,
            },
            tx));
        var band = await connection.QueryAsync<Guid>("SELECT wristband_id FROM tickets WHERE id = @Id AND wristband_id IS NOT NULL", new { ticket.Id }, tx);
        await CopyHolderToBandsAsync(connection, tx, [.. band], ticket.UpdatedAt);
        await SetSeriesAsync(connection, tx, ticket);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>Stores the ticket's fields, status and series; not found when it is gone (its event was deleted).</summary>
    public async Task UpdateAsync(TicketView ticket, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var updated = await UniqueExternalIdAsync(() => connection.ExecuteAsync(
            """
            UPDATE tickets SET external_id = @ExternalId, source = @Source, holder_name = @HolderName, holder_email = @HolderEmail,
                ticket_type = @TicketType, status = @status, updated_at = @now
            WHERE id = @Id
            """,
            new
            {
                ticket.Id, ticket.ExternalId, ticket.Source, ticket.HolderName, ticket.HolderEmail, ticket.TicketType,
                status = ticket.Status.ToDb(), now = ticket.UpdatedAt.UtcDateTime,
            },
            tx));
        if (updated == 0)
        {
            throw new RowNotFoundException("Ticket");
        }

        var band = await connection.QueryAsync<Guid>("SELECT wristband_id FROM tickets WHERE id = @Id AND wristband_id IS NOT NULL", new { ticket.Id }, tx);
        await CopyHolderToBandsAsync(connection, tx, [.. band], ticket.UpdatedAt);
        await SetSeriesAsync(connection, tx, ticket);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Pairs the ticket with a wristband in one transaction: the band takes the ticket's category
    /// (in its assignments too) and is assigned to the ticket's series; a band it replaces is revoked
    /// and leaves those series. Re-checks under row locks what the grain checked from its read, so a
    /// race answers 409 instead of pairing twice. Returns the series whose assignments changed.
    /// </summary>
    public async Task<ImmutableArray<Guid>> ExchangeAsync(TicketExchange exchange, DateTimeOffset now, AuditEntry audit)
    {
        var args = new
        {
            exchange.TicketId, exchange.NewWristbandId, exchange.OldWristbandId, exchange.Category,
            series = exchange.SeriesIds.ToArray(), now = now.UtcDateTime,
        };
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var ticket = (await connection.QueryAsync<(string Status, Guid? WristbandId)>(
            "SELECT status, wristband_id FROM tickets WHERE id = @TicketId FOR UPDATE", args, tx))
            .Cast<(string Status, Guid? WristbandId)?>().FirstOrDefault() ?? throw new RowNotFoundException("Ticket");
        if (ticket.Status != TicketStatus.Valid.ToDb())
        {
            throw new WriteConflictException("ticket_not_valid", $"The ticket is {ticket.Status}: only a valid ticket can be exchanged.");
        }

        if (ticket.WristbandId != exchange.OldWristbandId)
        {
            throw new WriteConflictException("ticket_changed", "The ticket was paired with another wristband meanwhile; look at it again.");
        }

        var band = await connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT status FROM wristbands WHERE id = @NewWristbandId FOR UPDATE", args, tx) ?? throw new RowNotFoundException("Wristband");
        if (band != WristbandStatus.Active.ToDb())
        {
            throw new WriteConflictException("wristband_not_active", $"The wristband is {band}: only an active wristband can be paired.");
        }

        if (await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM tickets WHERE wristband_id = @NewWristbandId AND id <> @TicketId)", args, tx))
        {
            throw new WriteConflictException("wristband_paired", "The wristband is paired with another ticket.");
        }

        var changed = new HashSet<Guid>(exchange.SeriesIds);
        if (exchange.OldWristbandId is not null)
        {
            // The band it replaces (lost, broken) stops admitting: revoked, and out of the ticket's series.
            await connection.ExecuteAsync(
                "UPDATE wristbands SET status = 'revoked', updated_at = @now WHERE id = @OldWristbandId", args, tx);
            await connection.ExecuteAsync(
                "DELETE FROM series_wristband_assignments WHERE wristband_id = @OldWristbandId AND series_id = ANY(@series)", args, tx);
        }

        // The band's category changes in every series it is already in, so those counts move too.
        changed.UnionWith(await connection.QueryAsync<Guid>(
            """
            UPDATE series_wristband_assignments SET category = @Category
            WHERE wristband_id = @NewWristbandId AND category <> @Category RETURNING series_id
            """,
            args, tx));
        // The band takes the ticket's category, and its holder where the ticket names one.
        await connection.ExecuteAsync(
            """
            UPDATE wristbands w SET category = @Category, updated_at = @now,
                holder_name = coalesce(t.holder_name, w.holder_name), holder_email = coalesce(t.holder_email, w.holder_email)
            FROM tickets t WHERE w.id = @NewWristbandId AND t.id = @TicketId
            """,
            args, tx);
        await connection.ExecuteAsync(
            """
            INSERT INTO series_wristband_assignments (series_id, wristband_id, category, assigned_at)
            SELECT s, @NewWristbandId, @Category, @now FROM unnest(@series) AS s
            ON CONFLICT (series_id, wristband_id) DO NOTHING
            """,
            args, tx);
        await EnsureWithinLimitsAsync(connection, tx, exchange.NewWristbandId, exchange.Category);
        await connection.ExecuteAsync(
            "UPDATE tickets SET wristband_id = @NewWristbandId, updated_at = @now WHERE id = @TicketId", args, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
        return [.. changed];
    }

    /// <summary>
    /// A paired wristband carries its ticket's holder (as the CRM's attendee updates keep them): the
    /// given bands take their tickets' name and e-mail where these differ. Bands are named by id, so
    /// a bulk caller's plan looks up the few pairs instead of joining every wristband.
    /// </summary>
    internal static Task<int> CopyHolderToBandsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] bands, DateTimeOffset now) =>
        bands.Length == 0
            ? Task.FromResult(0)
            : connection.ExecuteAsync(
                """
                UPDATE wristbands w SET holder_name = t.holder_name, holder_email = t.holder_email, updated_at = @now
                FROM tickets t
                WHERE w.id = ANY(@bands) AND t.wristband_id = ANY(@bands) AND t.wristband_id = w.id
                  AND (w.holder_name IS DISTINCT FROM t.holder_name OR w.holder_email IS DISTINCT FROM t.holder_email)
                """,
                new { bands, now = now.UtcDateTime }, tx);

    /// <summary>
    /// After the band's assignments changed: no series it is in may hold more of its category than
    /// its limit (the whole transaction rolls back otherwise).
    /// </summary>
    private static async Task EnsureWithinLimitsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid wristbandId, string category)
    {
        var over = (await connection.QueryAsync<(string Name, int Max)>(
            """
            SELECT s.name, l.max_wristbands FROM series_wristband_assignments mine
              JOIN series_category_limits l ON l.series_id = mine.series_id AND l.category = @category
              JOIN event_series s ON s.id = mine.series_id
            WHERE mine.wristband_id = @wristbandId
              AND (SELECT count(*) FROM series_wristband_assignments a WHERE a.series_id = mine.series_id AND a.category = @category) > l.max_wristbands
            """,
            new { wristbandId, category }, tx)).ToList();
        if (over.Count > 0)
        {
            throw new WriteConflictException("category_limit_exceeded", string.Join(" ", over.Select(o =>
                $"{o.Name} allows {o.Max} '{category}' wristbands; pairing this one would pass that.")));
        }
    }

    private static async Task SetSeriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, TicketView ticket)
    {
        var series = ticket.SeriesIds.ToArray();
        await connection.ExecuteAsync(
            "DELETE FROM series_tickets WHERE ticket_id = @Id AND series_id <> ALL(@series)", new { ticket.Id, series }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO series_tickets (series_id, ticket_id) SELECT s, @Id FROM unnest(@series) AS s ON CONFLICT DO NOTHING", new { ticket.Id, series }, tx);
    }

    private static async Task<int> UniqueExternalIdAsync(Func<Task<int>> write)
    {
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new WriteConflictException("ticket_exists", "The event already has a ticket with this external id from this source.");
        }
    }
}

/// <summary>A wristband found for an exchange, with the ticket it is paired to (if any).</summary>
public sealed record WristbandForExchange(Guid Id, string NfcId, WristbandStatus Status, Guid? TicketId);

/// <summary>What an exchange writes: the ticket, the band it gets (and the one it replaces), its category and series.</summary>
public sealed record TicketExchange(Guid TicketId, Guid NewWristbandId, Guid? OldWristbandId, string Category, ImmutableArray<Guid> SeriesIds);
