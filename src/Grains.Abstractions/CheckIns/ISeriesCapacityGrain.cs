namespace EventSeries.CheckIns;

/// <summary>
/// The coordinator of a series' capacity: holds the places not lent to a shard (the pool), leases
/// places to shards, and moves unused places between shards when one runs out. Its records are
/// the authority: a shard never holds more than the coordinator counts as its.
/// </summary>
[Alias("es.capacity")]
public interface ISeriesCapacityGrain : IGrainWithGuidKey
{
    /// <summary>The lease a shard holds (asked when the shard activates).</summary>
    [Alias("lease")]
    Task<CapacityLease> GetLeaseAsync(int shard);

    /// <summary>Lends up to <paramref name="want"/> more places to a shard that ran out; the answer is its whole new lease.</summary>
    [Alias("borrow"), ResponseTimeout("00:00:02")]
    Task<CapacityLease> BorrowAsync(int shard, int want);

    /// <summary>
    /// A shard gives places back (freed while the series was full), so a full shard can borrow them
    /// at once. Taken only when <paramref name="heldVersion"/> is the last lease issued to that shard:
    /// otherwise a newer lease is on its way to it, and lowering the count under that lease would let
    /// the lease, arriving late, raise the shard over places lent elsewhere. The answer is its new lease.
    /// </summary>
    [Alias("return"), ResponseTimeout("00:00:02")]
    Task<CapacityLease> ReturnAsync(int shard, int count, long heldVersion);

    /// <summary>Where the places are now; brings every answering shard's lease up to date on the way.</summary>
    [Alias("take-stock")]
    Task<CapacityLedger> TakeStockAsync();
}
