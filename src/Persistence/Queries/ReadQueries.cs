using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Events;
using EventSeries.Organizations;
using EventSeries.Persistence.Stores;
using EventSeries.Security;
using EventSeries.Series;
using EventSeries.Wristbands;
using Npgsql;

namespace EventSeries.Persistence.Queries;

/// <summary>
/// The API's list queries, read straight from the tables (lists are what rows are for). Every
/// query is scoped to the caller's organizations in SQL, the way the seed's row-level security
/// scopes them: another organization's rows are never even read.
/// </summary>
public sealed class ReadQueries(NpgsqlDataSource db)
{
    /// <summary>The caller's organizations with their role in each.</summary>
    public async Task<IReadOnlyList<OrganizationView>> ListOrganizationsAsync(Caller caller)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(Guid Id, string Name, DateTime CreatedAt, string Role)>(
            """
            SELECT o.id, o.name, o.created_at, m.role FROM organizations o
            JOIN organization_members m ON m.organization_id = o.id AND m.user_id = @UserId
            WHERE o.id = ANY(@organizations)
            ORDER BY o.created_at, o.id
            """,
            new { caller.UserId, organizations = caller.Memberships.Keys.ToArray() });
        return [.. rows.Select(r => new OrganizationView(r.Id, r.Name, DbText.FromDb<Role>(r.Role), DbText.Utc(r.CreatedAt)))];
    }

    /// <summary>Events of the caller's organizations (optionally one of them), newest first.</summary>
    public async Task<Page<EventView>> ListEventsAsync(Caller caller, Guid? organizationId, PageRequest page)
    {
        var orgs = ScopedOrganizations(caller, organizationId);
        await using var connection = await db.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events WHERE organization_id = ANY(@orgs)", new { orgs });
        var rows = await connection.QueryAsync<(Guid Id, Guid OrganizationId, string Name, string? Description, string TimeZone, DateTime CreatedAt, DateTime UpdatedAt)>(
            """
            SELECT id, organization_id, name, description, time_zone, created_at, updated_at FROM events
            WHERE organization_id = ANY(@orgs) ORDER BY created_at DESC, id LIMIT @PageSize OFFSET @Offset
            """,
            new { orgs, page.PageSize, page.Offset });
        return new(
            [.. rows.Select(r => new EventView(r.Id, r.OrganizationId, r.Name, r.Description, r.TimeZone, DbText.Utc(r.CreatedAt), DbText.Utc(r.UpdatedAt)))],
            page.PageNumber, page.PageSize, total);
    }

    /// <summary>Series of the caller's organizations matching the filter, by start time.</summary>
    public async Task<Page<SeriesSummary>> ListSeriesAsync(Caller caller, SeriesFilter filter, PageRequest page)
    {
        var args = new
        {
            orgs = ScopedOrganizations(caller, null),
            filter.EventId,
            lifecycle = filter.Lifecycle?.ToDb(),
            from = filter.From?.UtcDateTime,
            to = filter.To?.UtcDateTime,
            parent = filter.ParentSeriesId,
            page.PageSize,
            page.Offset,
        };
        // Scoped by organization row by row, or, with an event given, once by the event (every
        // series of an event belongs to the event's organization): 10,000 rows need no per-row test.
        const string where =
            """
            WHERE (@EventId::uuid IS NOT NULL OR organization_id = ANY(@orgs))
              AND (@EventId::uuid IS NULL OR event_id = @EventId)
              AND (@lifecycle::text IS NULL OR lifecycle_status = @lifecycle)
              AND (@from::timestamptz IS NULL OR ends_at > @from)
              AND (@to::timestamptz IS NULL OR starts_at < @to)
              AND (@parent::uuid IS NULL OR parent_series_id = @parent)
            """;
        await using var connection = await db.OpenConnectionAsync();
        if (filter.EventId is { } eventId && !await IsVisibleAsync(connection, caller, "SELECT organization_id FROM events WHERE id = @id", eventId))
        {
            return new([], page.PageNumber, page.PageSize, 0);
        }

        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM event_series {where}", args);
        // Page the narrow (id, starts_at) pairs first and read whole rows only for the page: deep
        // pages of 10,000 series then sort 24-byte tuples, not whole rows.
        var rows = await connection.QueryAsync<SeriesRow>(
            $"""
            WITH page AS (SELECT id, starts_at AS page_start FROM event_series {where} ORDER BY starts_at, id LIMIT @PageSize OFFSET @Offset)
            SELECT {SeriesRow.Columns} FROM page JOIN event_series USING (id) ORDER BY page.page_start, id
            """,
            args);
        return new([.. rows.Select(r => ToSummary(r.ToRecord()))], page.PageNumber, page.PageSize, total);
    }

    /// <summary>Wristbands of an event, by NFC UID; 404 when the event is not the caller's.</summary>
    public async Task<Page<WristbandView>> ListWristbandsAsync(Caller caller, Guid eventId, string? category, WristbandStatus? status, PageRequest page)
    {
        await using var connection = await db.OpenConnectionAsync();
        await RequireVisibleAsync(connection, caller, "SELECT organization_id FROM events WHERE id = @id", eventId, "Event");
        var args = new { eventId, category, status = status?.ToDb(), page.PageSize, page.Offset };
        const string where =
            "WHERE event_id = @eventId AND (@category::text IS NULL OR category = @category) AND (@status::text IS NULL OR status = @status)";
        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM wristbands {where}", args);
        var rows = await connection.QueryAsync<WristbandRow>($"{WristbandRow.Select} {where} ORDER BY nfc_id LIMIT @PageSize OFFSET @Offset", args);
        return new([.. rows.Select(r => r.ToView().For(caller))], page.PageNumber, page.PageSize, total);
    }

    /// <summary>Wristbands assigned to a series; 404 when the series is not the caller's.</summary>
    public async Task<Page<AssignedWristband>> ListAssignedWristbandsAsync(Caller caller, Guid seriesId, string? category, PageRequest page)
    {
        await using var connection = await db.OpenConnectionAsync();
        await RequireVisibleAsync(connection, caller, "SELECT organization_id FROM event_series WHERE id = @id", seriesId, "Series");
        var args = new { seriesId, category, page.PageSize, page.Offset };
        const string where = "WHERE a.series_id = @seriesId AND (@category::text IS NULL OR a.category = @category)";
        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM series_wristband_assignments a {where}", args);
        var rows = await connection.QueryAsync<(Guid Id, string NfcId, string Category, string Status, DateTime AssignedAt)>(
            $"""
            SELECT w.id, w.nfc_id, a.category, w.status, a.assigned_at FROM series_wristband_assignments a
            JOIN wristbands w ON w.id = a.wristband_id {where} ORDER BY w.nfc_id LIMIT @PageSize OFFSET @Offset
            """,
            args);
        return new([.. rows.Select(r => new AssignedWristband(r.Id, r.NfcId, r.Category, r.Status, DbText.Utc(r.AssignedAt)))], page.PageNumber, page.PageSize, total);
    }

    private static SeriesSummary ToSummary(SeriesRecord s) => new(
        s.Id, s.OrganizationId, s.EventId, s.Spec.Name, s.Spec.StartsAt, s.Spec.EndsAt,
        s.Spec.Window.OpensAt(s.Spec.StartsAt), s.Spec.Window.ClosesAt(s.Spec.StartsAt, s.Spec.EndsAt),
        s.Spec.Capacity, s.Lifecycle, s.ParentSeriesId, s.SequenceNumber, s.IsRecurring);

    private static Guid[] ScopedOrganizations(Caller caller, Guid? organizationId)
    {
        if (organizationId is not { } only)
        {
            return [.. caller.Memberships.Keys];
        }

        return caller.BelongsTo(only) ? [only] : throw new RowNotFoundException("Organization");
    }

    private static async Task RequireVisibleAsync(NpgsqlConnection connection, Caller caller, string sql, Guid id, string resource)
    {
        if (!await IsVisibleAsync(connection, caller, sql, id))
        {
            throw new RowNotFoundException(resource);
        }
    }

    private static async Task<bool> IsVisibleAsync(NpgsqlConnection connection, Caller caller, string sql, Guid id) =>
        await connection.ExecuteScalarAsync<Guid?>(sql, new { id }) is { } org && caller.BelongsTo(org);
}
