namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// The coordinator's durable state (Orleans grain storage): the capacity it last distributed,
/// what each shard holds, the places held by nobody, and how many times it has activated.
/// </summary>
[GenerateSerializer, Alias("es.capacity.state")]
public sealed class SeriesCapacityState
{
    [Id(0)]
    public int? Capacity { get; set; }

    [Id(1)]
    public int[] Budgets { get; set; } = [];

    [Id(2)]
    public int Pool { get; set; }

    /// <summary>Counts activations: the high half of every lease version, so a new activation's leases are newer than any before.</summary>
    [Id(3)]
    public int Epoch { get; set; }
}
