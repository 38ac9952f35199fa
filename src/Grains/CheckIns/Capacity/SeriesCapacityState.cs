namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// The coordinator's durable state (Orleans grain storage): the capacity it last distributed,
/// what each shard holds, and the places held by nobody.
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
}
