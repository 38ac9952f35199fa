using System.Text.Json;
using Dapper;
using EventSeries.CheckIns;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>
/// Series metrics computed from the check-in log, in one repeatable-read snapshot, plus the ids of
/// rows logged in the last <c>recentWindow</c> (so the metrics grain can skip stream events the
/// snapshot already counted). Writes the seed's series_metrics_cache row.
/// </summary>
public sealed class MetricsStore(NpgsqlDataSource db)
{
    public sealed record Computed(SeriesMetrics Metrics, IReadOnlyDictionary<Guid, int> Admissions, IReadOnlyCollection<Guid> RecentIds);

    public async Task<Computed> ComputeAsync(Guid seriesId, DateTimeOffset now, TimeSpan recentWindow)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var args = new { seriesId, since = (now - recentWindow).UtcDateTime };
        using var results = await connection.QueryMultipleAsync(
            """
            SELECT (count(*) FILTER (WHERE result = 'allowed') - count(*) FILTER (WHERE result = 'annulled'))::bigint AS Allowed,
                   count(*) FILTER (WHERE result = 'denied')::bigint AS Denied, coalesce(sum(occupancy_delta), 0)::bigint AS Occupancy
              FROM checkin_logs WHERE series_id = @seriesId;
            SELECT reason AS Key, count(*)::bigint AS Count FROM checkin_logs WHERE series_id = @seriesId AND result = 'denied' GROUP BY reason;
            SELECT gate_id AS Key, (count(*) FILTER (WHERE result = 'allowed') - count(*) FILTER (WHERE result = 'annulled'))::bigint AS Allowed,
                   count(*) FILTER (WHERE result = 'denied')::bigint AS Denied FROM checkin_logs WHERE series_id = @seriesId GROUP BY gate_id;
            SELECT coalesce(category, 'unknown') AS Key, (count(*) FILTER (WHERE result = 'allowed') - count(*) FILTER (WHERE result = 'annulled'))::bigint AS Allowed,
                   count(*) FILTER (WHERE result = 'denied')::bigint AS Denied FROM checkin_logs WHERE series_id = @seriesId GROUP BY coalesce(category, 'unknown');
            SELECT date_trunc('minute', at) AS Key, (count(*) FILTER (WHERE result = 'allowed') - count(*) FILTER (WHERE result = 'annulled'))::bigint AS Allowed,
                   count(*) FILTER (WHERE result = 'denied')::bigint AS Denied FROM checkin_logs WHERE series_id = @seriesId GROUP BY 1 ORDER BY 1;
            SELECT wristband_id AS Key, (count(*) FILTER (WHERE result = 'allowed') - count(*) FILTER (WHERE result = 'annulled'))::int AS Count
              FROM checkin_logs WHERE series_id = @seriesId AND wristband_id IS NOT NULL AND direction = 'in' AND result IN ('allowed', 'annulled')
              GROUP BY wristband_id;
            SELECT id FROM checkin_logs WHERE series_id = @seriesId AND at > @since;
            """,
            args,
            tx);
        var totals = await results.ReadSingleAsync<(long Allowed, long Denied, long Occupancy)>();
        var reasons = await results.ReadAsync<(string Key, long Count)>();
        var gates = await results.ReadAsync<(Guid Key, long Allowed, long Denied)>();
        var categories = await results.ReadAsync<(string Key, long Allowed, long Denied)>();
        var minutes = await results.ReadAsync<(DateTime Key, long Allowed, long Denied)>();
        var admissions = (await results.ReadAsync<(Guid Key, int Count)>()).ToDictionary(a => a.Key, a => a.Count);
        var recent = (await results.ReadAsync<Guid>()).ToList();
        await tx.CommitAsync();
        var metrics = new SeriesMetrics(
            seriesId,
            now,
            totals.Allowed + totals.Denied,
            totals.Allowed,
            totals.Denied,
            reasons.ToImmutableSortedDictionary(r => r.Key, r => r.Count, StringComparer.Ordinal),
            admissions.Count(a => a.Value > 0),
            totals.Occupancy,
            gates.ToImmutableSortedDictionary(g => g.Key, g => new ScanCounts(g.Allowed + g.Denied, g.Allowed, g.Denied)),
            categories.ToImmutableSortedDictionary(c => c.Key, c => new ScanCounts(c.Allowed + c.Denied, c.Allowed, c.Denied), StringComparer.Ordinal),
            [.. minutes.Select(m => new MinuteCounts(DbText.Utc(m.Key), m.Allowed, m.Denied))]);
        return new Computed(metrics, admissions, recent);
    }

    /// <summary>
    /// Upserts the seed's cache row (for SQL users and reports), only while the series exists: the
    /// table's foreign key refuses unknown series, and a series deleted since the last recompute
    /// simply gets no row (instead of a foreign-key error in the cache timer).
    /// </summary>
    public async Task SaveCacheAsync(SeriesMetrics metrics)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO series_metrics_cache (series_id, computed_at, total_scans, allowed, denied, unique_wristbands, occupancy, metrics)
            SELECT @SeriesId, @computedAt, @TotalScans, @Allowed, @Denied, @UniqueWristbands, @Occupancy, @json::jsonb
             WHERE EXISTS (SELECT 1 FROM event_series WHERE id = @SeriesId)
            ON CONFLICT (series_id) DO UPDATE SET computed_at = excluded.computed_at, total_scans = excluded.total_scans, allowed = excluded.allowed,
                denied = excluded.denied, unique_wristbands = excluded.unique_wristbands, occupancy = excluded.occupancy, metrics = excluded.metrics
            """,
            new
            {
                metrics.SeriesId, computedAt = metrics.ComputedAt.UtcDateTime, metrics.TotalScans, metrics.Allowed, metrics.Denied,
                metrics.UniqueWristbands, metrics.Occupancy, json = JsonSerializer.Serialize(metrics, JsonSerializerOptions.Web),
            });
    }
}
