using EventSeries.Domain.CheckIns;
using Dapper;
using EventSeries.Events;
using EventSeries.Series;
using Npgsql;

namespace EventSeries.Persistence.Rules;

/// <summary>Loads an event's scan rules in one round trip.</summary>
public sealed class RulesStore(NpgsqlDataSource db)
{
    public async Task<EventRules?> LoadAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(
            """
            SELECT organization_id AS OrganizationId, time_zone AS TimeZone, wristbands_version AS WristbandsVersion FROM events WHERE id = @eventId;
            SELECT id, name, status, allowed_categories, kind FROM gates WHERE event_id = @eventId;
            SELECT s.id, s.name, s.starts_at, s.ends_at, s.checkin_opens_minutes_before, s.checkin_closes_minutes_after, s.lifecycle_status,
                   s.capacity, s.reentry_policy, coalesce(array_agg(g.gate_id) FILTER (WHERE g.gate_id IS NOT NULL), '{}') AS gate_ids
            FROM event_series s LEFT JOIN series_gates g ON g.series_id = s.id
            WHERE s.event_id = @eventId GROUP BY s.id ORDER BY s.starts_at, s.id;
            """,
            new { eventId });
        var e = await results.ReadSingleOrDefaultAsync<EventHeader>();
        if (e is null)
        {
            return null;
        }

        var gates = await results.ReadAsync<(Guid Id, string Name, string Status, string[] Allowed, string Kind)>();
        var series = await results.ReadAsync<(Guid Id, string Name, DateTime StartsAt, DateTime EndsAt, int Opens, int? Closes, string Lifecycle, int? Capacity, string Reentry, Guid[] GateIds)>();
        return new EventRules(
            eventId,
            e.OrganizationId,
            TimeZoneInfo.TryFindSystemTimeZoneById(e.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc,
            gates.ToImmutableDictionary(g => g.Id, g => new GateRules(g.Id, g.Name, DbText.FromDb<GateStatus>(g.Status), [.. g.Allowed], DbText.FromDb<GateKind>(g.Kind))),
            [.. series.Select(s =>
            {
                var window = new CheckInWindow(s.Opens, s.Closes);
                var starts = DbText.Utc(s.StartsAt);
                var ends = DbText.Utc(s.EndsAt);
                return new SeriesRules(
                    s.Id, s.Name, starts, ends, window.OpensAt(starts), window.ClosesAt(starts, ends), DbText.FromDb<SeriesLifecycle>(s.Lifecycle),
                    s.Capacity, DbText.FromDb<ReentryPolicy>(s.Reentry), [.. s.GateIds]);
            })])
        {
            WristbandsVersion = e.WristbandsVersion,
        };
    }

    private sealed class EventHeader
    {
        public Guid OrganizationId { get; set; }

        public string TimeZone { get; set; } = "UTC";

        public long WristbandsVersion { get; set; }
    }


}
