namespace EventSeries.CheckIns;

/// <summary>
/// How many places the coordinator counts as a shard's, as of <see cref="Version"/>. Versions only
/// grow (the coordinator's activation epoch in the high half), so a shard adopts a lease only when
/// it is newer than the one it holds: a late or repeated message can never raise a shard above what
/// the coordinator has since taken back.
/// </summary>
[GenerateSerializer, Alias("es.capacity.lease")]
public readonly record struct CapacityLease([property: Id(0)] long Version, [property: Id(1)] int Budget)
{
    public bool IsNewerThan(CapacityLease? held) => held is not { } h || Version > h.Version;
}
