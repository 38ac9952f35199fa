namespace EventSeries.CheckIns;

/// <summary>
/// Where a series' places are: the coordinator's pool, what it counts as each shard's, and each
/// shard's own counts (null for a shard that did not answer in time). Places are conserved when
/// the pool plus every shard's budget equals the capacity.
/// </summary>
[GenerateSerializer, Alias("es.capacity.ledger")]
public sealed record CapacityLedger(
    [property: Id(0)] int Capacity,
    [property: Id(1)] int Pool,
    [property: Id(2)] ImmutableArray<int> Leases,
    [property: Id(3)] ImmutableArray<ShardCounts?> Shards);
