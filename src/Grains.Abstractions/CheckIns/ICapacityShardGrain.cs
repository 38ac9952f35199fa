namespace EventSeries.CheckIns;

/// <summary>
/// One of <see cref="CapacityShards.Count"/> shards of a series' capacity, keyed
/// <c>"{seriesId:N}/{shard}"</c>. A wristband always uses the same shard, so its entry and exit are
/// counted in one place; shards lend each other unused places through the series' coordinator.
/// </summary>
[Alias("es.capacity-shard")]
public interface ICapacityShardGrain : IGrainWithStringKey
{
    /// <summary>Takes a place for an entry; false when the whole series is full.</summary>
    [Alias("reserve")]
    Task<bool> ReserveAsync();

    /// <summary>
    /// Gives a place back: an exit or annulment (<paramref name="checkinId"/> is its logged row), or
    /// an entry that could not be logged (null). A shard that activates to take the call may have
    /// counted that row already; the id lets it count it once.
    /// </summary>
    [Alias("release")]
    Task ReleaseAsync(Guid? checkinId);

    /// <summary>
    /// Hands up to <paramref name="max"/> places to the coordinator: unused ones, or (when the
    /// capacity was lowered, <paramref name="evenIfInUse"/>) places still in use, so the shard admits
    /// nobody until enough people left. <paramref name="budget"/> is the coordinator's record of this
    /// shard's places, adopted if the shard has not asked yet.
    /// </summary>
    [Alias("surrender"), AlwaysInterleave]
    Task<int> SurrenderAsync(int max, int budget, bool evenIfInUse);

    /// <summary>How many are inside and how many places this shard holds.</summary>
    [Alias("counts"), AlwaysInterleave]
    Task<(int Inside, int Budget)> GetCountsAsync();
}

/// <summary>
/// The coordinator of a series' capacity: holds the places not lent to a shard, lends them, and
/// moves unused places between shards when one runs out.
/// </summary>
[Alias("es.capacity")]
public interface ISeriesCapacityGrain : IGrainWithGuidKey
{
    /// <summary>The budget a shard holds (asked when the shard activates).</summary>
    [Alias("budget")]
    Task<int> GetBudgetAsync(int shard);

    /// <summary>Lends up to <paramref name="want"/> more places to a shard that ran out; 0 when none are left anywhere.</summary>
    [Alias("borrow")]
    Task<int> BorrowAsync(int shard, int want);

    /// <summary>A shard gives places back (freed while the series was full), so a full shard can borrow them at once.</summary>
    [Alias("return")]
    Task ReturnAsync(int shard, int count);
}

/// <summary>How a wristband maps to its capacity shard.</summary>
public static class CapacityShards
{
    /// <summary>Shards per series: enough to spread a series' gate traffic over silos.</summary>
    public const int Count = 8;

    /// <summary>The shard of a wristband: stable across processes (from the id's bytes).</summary>
    public static int Of(Guid wristbandId)
    {
        Span<byte> bytes = stackalloc byte[16];
        wristbandId.TryWriteBytes(bytes);
        return (int)(BitConverter.ToUInt32(bytes[12..]) % Count);
    }

    public static string Key(Guid seriesId, int shard) => $"{seriesId:N}/{shard}";
}
