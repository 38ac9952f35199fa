using Dapper;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>Counts for capacity shards, from the log.</summary>
public sealed class CapacityStore(NpgsqlDataSource db)
{
    /// <summary>How many wristbands counted by this shard are inside now (the sum of its occupancy changes).</summary>
    public async Task<int> CountInsideAsync(Guid seriesId, int shard)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT coalesce(sum(occupancy_delta), 0)::int FROM checkin_logs WHERE series_id = @seriesId AND capacity_shard = @shard",
            new { seriesId, shard = (short)shard });
    }
}
