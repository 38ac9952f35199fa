namespace EventSeries.CheckIns;

/// <summary>One capacity shard's own counts.</summary>
/// <param name="Shard">Which shard of the series.</param>
/// <param name="Inside">Wristbands of this shard inside now, reservations not yet logged included.</param>
/// <param name="Budget">The places the shard holds (its lease).</param>
/// <param name="Reserved">Reservations whose row the shard has not yet seen in the log.</param>
[GenerateSerializer, Alias("es.capacity.shard-counts")]
public sealed record ShardCounts([property: Id(0)] int Shard, [property: Id(1)] int Inside, [property: Id(2)] int Budget, [property: Id(3)] int Reserved);
