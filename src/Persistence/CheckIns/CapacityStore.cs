using Dapper;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>Counts for capacity shards, from the log.</summary>
public sealed class CapacityStore(NpgsqlDataSource db)
{
    /// <summary>How many exits a shard remembers as already counted: far more than can be in flight.</summary>
    public const int RecentReleases = 1000;

    /// <summary>
    /// How many wristbands counted by this shard are inside now (the sum of its occupancy changes),
    /// and the ids of its latest exits and annulments, which that sum already includes.
    /// </summary>
    public async Task<(int Inside, HashSet<Guid> CountedReleases)> LoadShardAsync(Guid seriesId, int shard)
    {
        await using var connection = await db.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(
            """
            SELECT coalesce(sum(occupancy_delta), 0)::int FROM checkin_logs WHERE series_id = @seriesId AND capacity_shard = @shard;
            SELECT id FROM checkin_logs WHERE series_id = @seriesId AND capacity_shard = @shard AND occupancy_delta < 0 ORDER BY at DESC LIMIT @limit;
            """,
            new { seriesId, shard = (short)shard, limit = RecentReleases });
        var inside = await results.ReadSingleAsync<int>();
        return (inside, [.. await results.ReadAsync<Guid>()]);
    }

    /// <summary>Which of these check-in rows are in the log.</summary>
    public async Task<HashSet<Guid>> FindLoggedAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Guid>("SELECT id FROM checkin_logs WHERE id = ANY(@ids)", new { ids = ids.ToArray() })];
    }
}
