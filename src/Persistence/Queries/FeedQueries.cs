using Dapper;
using EventSeries.Domain.CheckIns;
using EventSeries.Persistence.CheckIns;
using EventSeries.Persistence.Errors;
using EventSeries.Persistence.Rules;
using EventSeries.Persistence.Stores;
using EventSeries.Security;
using EventSeries.Series;
using Npgsql;

namespace EventSeries.Persistence.Queries;

/// <summary>The series a live feed covers, and who may watch it.</summary>
/// <param name="OrganizationId">The organization the series (or event) belongs to.</param>
/// <param name="SeriesIds">The series: one for a series' feed, every series of the event for an event's feed.</param>
public sealed record FeedScope(Guid OrganizationId, ImmutableArray<Guid> SeriesIds);

/// <summary>What a resuming feed client missed, read from the durable log, oldest first.</summary>
/// <param name="Checkins">Log rows of the scope's series at or after the asked time.</param>
/// <param name="Transitions">Lifecycle transitions of the scope's series at or after the asked time.</param>
/// <param name="Truncated">More rows than the limit: the caller cannot replay them all.</param>
public sealed record FeedBacklog(IReadOnlyList<CheckinRow> Checkins, IReadOnlyList<SeriesTransition> Transitions, bool Truncated);

/// <summary>The live feed's reads: its scope, checked against the caller's organizations, and the log to replay.</summary>
public sealed class FeedQueries(NpgsqlDataSource db, SeriesOwners owners)
{
    /// <summary>A series the caller can see; 404 otherwise (another organization's series included).</summary>
    public async Task<FeedScope> SeriesScopeAsync(Caller caller, Guid seriesId) =>
        await owners.FindAsync(seriesId, mustExist: true) is { } owner && caller.BelongsTo(owner.OrganizationId)
            ? new FeedScope(owner.OrganizationId, [seriesId])
            : throw new RowNotFoundException("Series");

    /// <summary>An event the caller can see, with its series as <see cref="EventSeriesAsync(Guid, int)"/> picks them; 404 otherwise.</summary>
    public async Task<FeedScope> EventScopeAsync(Caller caller, Guid eventId, int maxSeries)
    {
        await using var connection = await db.OpenConnectionAsync();
        var organization = await connection.ExecuteScalarAsync<Guid?>("SELECT organization_id FROM events WHERE id = @eventId", new { eventId });
        if (organization is not { } org || !caller.BelongsTo(org))
        {
            throw new RowNotFoundException("Event");
        }

        return new FeedScope(org, [.. await EventSeriesAsync(connection, eventId, maxSeries)]);
    }

    /// <summary>
    /// The event's series that can still scan or move (draft, scheduled, active), soonest first, at
    /// most <paramref name="maxSeries"/>: an event with 10,000 generated series is not followed whole.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> EventSeriesAsync(Guid eventId, int maxSeries)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. await EventSeriesAsync(connection, eventId, maxSeries)];
    }

    /// <summary>
    /// Check-ins and transitions of <paramref name="seriesIds"/> with <c>at</c> at or after
    /// <paramref name="since"/>, oldest first, at most <paramref name="limit"/> of each kind
    /// (<see cref="FeedBacklog.Truncated"/> says there were more). One repeatable-read snapshot, so
    /// the two lists agree with each other.
    /// </summary>
    public async Task<FeedBacklog> BacklogAsync(IReadOnlyCollection<Guid> seriesIds, DateTimeOffset since, int limit)
    {
        var args = new { ids = seriesIds.ToArray(), since = since.UtcDateTime, take = limit + 1 };
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);

        // checkin_logs_series_at_ix answers this per series; annulments are part of the feed too.
        var checkins = (await connection.QueryAsync<CheckinLogRecord>(
            $"SELECT {CheckinLogRecord.Columns} FROM checkin_logs WHERE series_id = ANY(@ids) AND at >= @since ORDER BY at, id LIMIT @take", args, tx))
            .Select(r => r.ToRow()).ToList();
        var transitions = (await connection.QueryAsync<TransitionRow>(
            $"{TransitionRow.Select} WHERE series_id = ANY(@ids) AND at >= @since ORDER BY at, id LIMIT @take", args, tx))
            .Select(t => t.ToView()).ToList();
        await tx.CommitAsync();
        var truncated = checkins.Count > limit || transitions.Count > limit;
        return new FeedBacklog(checkins.Take(limit).ToList(), transitions.Take(limit).ToList(), truncated);
    }

    private static Task<IEnumerable<Guid>> EventSeriesAsync(NpgsqlConnection connection, Guid eventId, int maxSeries) =>
        connection.QueryAsync<Guid>(
            """
            SELECT id FROM event_series WHERE event_id = @eventId AND lifecycle_status IN ('draft', 'scheduled', 'active')
            ORDER BY starts_at, id LIMIT @maxSeries
            """,
            new { eventId, maxSeries });
}
