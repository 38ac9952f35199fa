namespace EventSeries.CheckIns;

/// <summary>One capacity shard's own counts.</summary>
/// <param name="Shard">Which shard of the series.</param>
/// <param name="Inside">Wristbands of this shard inside now, reservations not yet logged included.</param>
/// <param name="Budget">The places the shard holds (its lease).</param>
/// <param name="Reserved">Reservations whose row the shard has not yet seen in the log.</param>
/// <param name="HeldBack">
/// Places held as possibly taken after the shard's previous activation ended unsettled (rows it
/// had reserved may still be written), until reservations have timed out and the log is counted again.
/// </param>
[GenerateSerializer, Alias("es.capacity.shard-counts")]
public sealed record ShardCounts(
    [property: Id(0)] int Shard, [property: Id(1)] int Inside, [property: Id(2)] int Budget, [property: Id(3)] int Reserved, [property: Id(4)] int HeldBack);
