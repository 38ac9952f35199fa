namespace EventSeries.CheckIns;

/// <summary>
/// One of <see cref="CapacityShards.Count"/> shards of a series' capacity, keyed
/// <c>"{seriesId:N}/{shard}"</c>. A wristband always uses the same shard, so its entry and exit are
/// counted in one place; shards lend each other unused places through the series' coordinator
/// (<see cref="ISeriesCapacityGrain"/>), whose leases say how many places each shard holds.
/// </summary>
[Alias("es.capacity-shard")]
public interface ICapacityShardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes a place for an entry whose log row will have the id <paramref name="entryId"/>. Until the
    /// shard sees that row in the log the place is a reservation: one whose row never appears comes
    /// back on its own (see <c>docs/architecture.md</c>). A shard with no place left borrows from the
    /// coordinator when <paramref name="mayBorrow"/>, waiting for it at most
    /// <c>Capacity:CoordinatorAnswerWait</c>; otherwise it answers <see cref="PlaceAnswer.Full"/> at once.
    /// </summary>
    [Alias("reserve-place")]
    Task<PlaceAnswer> ReserveAsync(Guid entryId, bool mayBorrow);

    /// <summary>Gives back the place of a reservation whose row was not logged (a failed or refused write).</summary>
    [Alias("cancel")]
    Task CancelAsync(Guid entryId);

    /// <summary>
    /// Gives a place back for a logged exit or annulment (<paramref name="checkinId"/> is its row).
    /// A shard that activates to take the call may have counted that row already; the id lets it
    /// count it once.
    /// </summary>
    [Alias("release")]
    Task ReleaseAsync(Guid checkinId);

    /// <summary>
    /// Adopts <paramref name="lease"/> if it is newer than the shard's, then hands up to
    /// <paramref name="max"/> places back to the coordinator: unused ones, or (when the capacity was
    /// lowered, <paramref name="evenIfInUse"/>) places still in use, so the shard admits nobody until
    /// enough people left. The shard then holds the lease's budget minus what it answers, at the
    /// lease's version. A stale lease (an older coordinator's) gets 0.
    /// </summary>
    [Alias("surrender"), AlwaysInterleave, ResponseTimeout("00:00:01")]
    Task<int> SurrenderAsync(CapacityLease lease, int max, bool evenIfInUse);

    /// <summary>Adopts <paramref name="lease"/> if it is newer, and answers the shard's counts.</summary>
    [Alias("adopt"), AlwaysInterleave, ResponseTimeout("00:00:01")]
    Task<ShardCounts> AdoptAsync(CapacityLease lease);

    /// <summary>How many are inside and how many places this shard holds.</summary>
    [Alias("counts"), AlwaysInterleave]
    Task<ShardCounts> GetCountsAsync();
}
