using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Persistence.Tickets;
using EventSeries.Security;
using EventSeries.Tickets;
using Npgsql;

namespace EventSeries.Persistence.Queries;

/// <summary>The API's ticket list, read straight from the tables and scoped to the caller like every list.</summary>
public sealed class TicketQueries(NpgsqlDataSource db)
{
    /// <summary>
    /// Tickets of an event by source and external id (the order of the unique index, which serves
    /// it; no index by creation time is kept, so imports write one less), filtered by status, by a series they admit to, and by holder
    /// (a part of the name or e-mail, case-insensitive; personal data, so not for viewers); 404 when
    /// the event is not the caller's.
    /// </summary>
    public async Task<Page<TicketView>> ListAsync(Caller caller, Guid eventId, TicketStatus? status, Guid? seriesId, string? holder, PageRequest page)
    {
        await using var connection = await db.OpenConnectionAsync();
        var organizationId = await connection.ExecuteScalarAsync<Guid?>("SELECT organization_id FROM events WHERE id = @eventId", new { eventId });
        if (organizationId is not { } org || !caller.BelongsTo(org))
        {
            throw new RowNotFoundException("Event");
        }

        if (holder is not null)
        {
            // Searching by holder would tell a viewer who holds a ticket, one guess at a time.
            caller.Authorize(org, Permission.ViewPersonalData, "Event");
        }

        var args = new
        {
            eventId, status = status?.ToDb(), seriesId, holder = holder is null ? null : $"%{EscapeLike(holder)}%", page.PageSize, page.Offset,
        };
        const string where =
            """
            WHERE t.event_id = @eventId
              AND (@status::text IS NULL OR t.status = @status)
              AND (@seriesId::uuid IS NULL OR EXISTS (SELECT 1 FROM series_tickets st WHERE st.ticket_id = t.id AND st.series_id = @seriesId))
              AND (@holder::text IS NULL OR t.holder_name ILIKE @holder OR t.holder_email ILIKE @holder)
            """;
        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM tickets t {where}", args);
        var rows = (await connection.QueryAsync<TicketRow>($"{TicketRow.Select} {where} ORDER BY t.source, t.external_id LIMIT @PageSize OFFSET @Offset", args)).ToList();
        var views = await TicketRow.ToViewsAsync(connection, rows);
        return new([.. views.Select(v => v.For(caller))], page.PageNumber, page.PageSize, total);
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
