using System.Data;
using Dapper;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>Counts for capacity shards, from the log.</summary>
public sealed class CapacityStore(NpgsqlDataSource db)
{
    /// <summary>How many exits a shard remembers as already counted: far more than can be in flight.</summary>
    public const int RecentReleases = 1000;

    /// <summary>
    /// One shard's count, read in one snapshot: how many of its wristbands are inside (the sum of its
    /// occupancy changes), the ids of its latest exits and annulments (which that sum includes), and
    /// which of <paramref name="watched"/> (its open or taken-back reservations) are in the log, so
    /// the caller counts each of those exactly once.
    /// </summary>
    public async Task<ShardCount> CountShardAsync(Guid seriesId, int shard, IReadOnlyCollection<Guid> watched)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        using var results = await connection.QueryMultipleAsync(
            """
            SELECT coalesce(sum(occupancy_delta), 0)::int FROM checkin_logs WHERE series_id = @seriesId AND capacity_shard = @shard;
            SELECT id FROM checkin_logs WHERE series_id = @seriesId AND capacity_shard = @shard AND occupancy_delta < 0 ORDER BY at DESC LIMIT @limit;
            SELECT id FROM checkin_logs WHERE id = ANY(@watched);
            """,
            new { seriesId, shard = (short)shard, limit = RecentReleases, watched = watched.ToArray() }, transaction);
        var inside = await results.ReadSingleAsync<int>();
        HashSet<Guid> releases = [.. await results.ReadAsync<Guid>()];
        HashSet<Guid> logged = [.. await results.ReadAsync<Guid>()];
        await transaction.CommitAsync();
        return new ShardCount(inside, releases, logged);
    }

    /// <summary>Which of these check-in rows are in the log.</summary>
    public async Task<HashSet<Guid>> FindLoggedAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Guid>("SELECT id FROM checkin_logs WHERE id = ANY(@ids)", new { ids = ids.ToArray() })];
    }
}

/// <summary>A shard's count from one snapshot of the log.</summary>
/// <param name="Inside">The sum of the shard's occupancy changes.</param>
/// <param name="CountedReleases">Its latest exits and annulments, already in <paramref name="Inside"/>.</param>
/// <param name="Logged">Which of the ids asked about are in the log (and so in <paramref name="Inside"/>).</param>
public sealed record ShardCount(int Inside, HashSet<Guid> CountedReleases, HashSet<Guid> Logged);
