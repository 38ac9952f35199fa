using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Persistence.Rules;
using EventSeries.Domain.CheckIns;
using EventSeries.Persistence.CheckIns;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Security;
using EventSeries.Series;
using Npgsql;

namespace EventSeries.Persistence.Queries;

/// <summary>A row of the check-in log as the API lists it.</summary>
public sealed record CheckinLogEntry(
    Guid Id, Guid? SeriesId, Guid? WristbandId, string NfcId, string? Category, Guid GateId, ScanDirection Direction, CheckinResult Result,
    string Reason, string? Detail, string Message, Guid? ScanId, DateTimeOffset? ScannedAt, DateTimeOffset At, Guid? ActorUserId, Guid? Annuls)
{
    public static CheckinLogEntry From(CheckinRow r) => new(
        r.Id, r.SeriesId, r.WristbandId, r.NfcId, r.Category, r.GateId, r.Direction, r.Result, r.Reason, r.Detail, r.Message, r.ScanId,
        r.ScannedAt, r.At, r.ActorUserId, r.Annuls);
}

/// <summary>Filters for the check-in log.</summary>
public sealed record CheckinFilter(Guid? GateId, CheckinResult? Result, string? Reason, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A gate as a scanner needs it.</summary>
public sealed record ScannableGate(Guid Id, string Name, GateKind Kind, GateStatus Status, IReadOnlyList<string> AllowedCategories);

/// <summary>A series a scanner may scan for now or within the hour, with its gates and window.</summary>
public sealed record ScannableSeries(
    Guid SeriesId, Guid EventId, string Name, SeriesLifecycle Lifecycle, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    DateTimeOffset CheckInOpensAt, DateTimeOffset CheckInClosesAt, ReentryPolicy Reentry, int? Capacity, IReadOnlyList<ScannableGate> Gates);

/// <summary>The check-in log and what scanners read, scoped to the caller's organizations in SQL.</summary>
public sealed class CheckinQueries(NpgsqlDataSource db, SeriesOwners owners)
{
    /// <summary>The event of a series the caller can see; 404 otherwise.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="seriesId">The series.</param>
    /// <param name="mustExist">False on the scan path, where the grain answers for a deleted series itself.</param>
    public async Task<Guid> FindSeriesEventAsync(Caller caller, Guid seriesId, bool mustExist = true) =>
        await owners.FindAsync(seriesId, mustExist) is { } owner && caller.BelongsTo(owner.OrganizationId)
            ? owner.EventId
            : throw new RowNotFoundException("Series");

    /// <summary>The event and NFC UID of a check-in of the series the caller can see; 404 otherwise.</summary>
    public async Task<(Guid EventId, string NfcId)> FindCheckinAsync(Caller caller, Guid seriesId, Guid checkinId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = (await connection.QueryAsync<(Guid EventId, string NfcId, Guid OrganizationId)>(
            "SELECT event_id, nfc_id, organization_id FROM checkin_logs WHERE id = @checkinId AND series_id = @seriesId", new { checkinId, seriesId }))
            .Cast<(Guid EventId, string NfcId, Guid OrganizationId)?>().FirstOrDefault();
        return row is { } r && caller.BelongsTo(r.OrganizationId) ? (r.EventId, r.NfcId) : throw new RowNotFoundException("Check-in");
    }

    /// <summary>The log of a series, newest first.</summary>
    public async Task<Page<CheckinLogEntry>> ListAsync(Caller caller, Guid seriesId, CheckinFilter filter, PageRequest page)
    {
        await FindSeriesEventAsync(caller, seriesId);
        var args = new DynamicParameters(CheckinFilterSql.Arguments(caller, seriesId, filter));
        args.AddDynamicParams(new { page.PageSize, page.Offset });
        await using var connection = await db.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM checkin_logs {CheckinFilterSql.Where}", args);
        var rows = await connection.QueryAsync<CheckinLogRecord>(
            $"SELECT {CheckinLogRecord.Columns} FROM checkin_logs {CheckinFilterSql.Where} {CheckinFilterSql.NewestFirst} LIMIT @PageSize OFFSET @Offset", args);
        return new([.. rows.Select(r => CheckinLogEntry.From(r.ToRow()))], page.PageNumber, page.PageSize, total);
    }

    /// <summary>
    /// A series' capacity and how many of its counted wristbands the log says are inside (the sum of
    /// the occupancy changes capacity shards counted), for a series the caller can see; 404 otherwise.
    /// </summary>
    public async Task<(int? Capacity, int InsideLogged)> FindCapacityAsync(Caller caller, Guid seriesId)
    {
        await FindSeriesEventAsync(caller, seriesId);
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int?, int)>(
            """
            SELECT s.capacity, coalesce((SELECT sum(occupancy_delta) FROM checkin_logs l WHERE l.series_id = s.id AND l.capacity_shard IS NOT NULL), 0)::int
            FROM event_series s WHERE s.id = @seriesId
            """,
            new { seriesId });
    }

    /// <summary>Series of the caller's organizations whose check-in window is open now or opens within the hour.</summary>
    public async Task<IReadOnlyList<ScannableSeries>> ListScannableAsync(Caller caller, DateTimeOffset now, Guid? eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var series = (await connection.QueryAsync<ScannableRow>(
            """
            SELECT * FROM (
              SELECT s.id, s.event_id AS EventId, s.name, s.lifecycle_status AS Lifecycle, s.starts_at AS StartsAt, s.ends_at AS EndsAt,
                     s.starts_at - make_interval(mins => s.checkin_opens_minutes_before) AS OpensAt,
                     coalesce(s.starts_at + make_interval(mins => s.checkin_closes_minutes_after), s.ends_at) AS ClosesAt,
                     s.reentry_policy AS Reentry, s.capacity
              FROM event_series s
              WHERE s.organization_id = ANY(@orgs) AND s.lifecycle_status IN ('scheduled', 'active') AND (@eventId::uuid IS NULL OR s.event_id = @eventId)
            ) w WHERE w.OpensAt <= @soon AND w.ClosesAt > @now ORDER BY w.StartsAt, w.id
            """,
            new { orgs = caller.Memberships.Keys.ToArray(), now = now.UtcDateTime, soon = now.AddHours(1).UtcDateTime, eventId })).ToList();
        var gates = (await connection.QueryAsync<(Guid SeriesId, Guid Id, string Name, string Kind, string Status, string[] Allowed)>(
            """
            SELECT sg.series_id, g.id, g.name, g.kind, g.status, g.allowed_categories FROM series_gates sg JOIN gates g ON g.id = sg.gate_id
            WHERE sg.series_id = ANY(@ids) ORDER BY g.name
            """,
            new { ids = series.Select(s => s.Id).ToArray() })).ToLookup(g => g.SeriesId);
        return [.. series.Select(s => new ScannableSeries(
            s.Id, s.EventId, s.Name, DbText.FromDb<SeriesLifecycle>(s.Lifecycle), DbText.Utc(s.StartsAt), DbText.Utc(s.EndsAt), DbText.Utc(s.OpensAt),
            DbText.Utc(s.ClosesAt), DbText.FromDb<ReentryPolicy>(s.Reentry), s.Capacity,
            [.. gates[s.Id].Select(g => new ScannableGate(g.Id, g.Name, DbText.FromDb<GateKind>(g.Kind), DbText.FromDb<GateStatus>(g.Status), g.Allowed))]))];
    }

    private sealed class ScannableRow
    {
        public Guid Id { get; set; }

        public Guid EventId { get; set; }

        public string Name { get; set; } = "";

        public string Lifecycle { get; set; } = "";

        public DateTime StartsAt { get; set; }

        public DateTime EndsAt { get; set; }

        public DateTime OpensAt { get; set; }

        public DateTime ClosesAt { get; set; }

        public string Reentry { get; set; } = "";

        public int? Capacity { get; set; }
    }
}
