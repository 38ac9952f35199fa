namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// A capacity shard's durable state (Orleans grain storage): whether its last activation ended
/// settled. An activation writes false before it takes any place and true only when it ends with
/// every reservation's row in the log. A shard that finds false was ended by a fault (its silo died
/// or was voted dead) while rows it had reserved may still be written by live silos.
/// </summary>
[GenerateSerializer, Alias("es.capacity.shard-state")]
public sealed class CapacityShardState
{
    [Id(0)]
    public bool Settled { get; set; }
}
