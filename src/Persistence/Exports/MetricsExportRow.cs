namespace EventSeries.Persistence.Exports;

/// <summary>
/// One minute of one gate for one wristband category, counted from the check-in log. Only
/// combinations with at least one row exist. The metrics endpoint's numbers are sums of these:
/// its allowed is <c>Allowed - Annulled</c> (an annulment takes its entry back in the minute it is
/// logged), its denied is <c>Denied</c>, its occupancy the sum of <c>OccupancyChange</c>.
/// </summary>
/// <param name="Minute">Start of the minute (UTC).</param>
/// <param name="GateId">The gate.</param>
/// <param name="GateName">The gate's name now (null if the gate row is gone).</param>
/// <param name="Category">The wristband's category; null for scans of unknown wristbands.</param>
/// <param name="Scans">Decided scans: allowed plus denied (annulments are not scans).</param>
/// <param name="Allowed">Allowed scans, entries and exits.</param>
/// <param name="Denied">Denied scans.</param>
/// <param name="Annulled">Annulments of earlier allowed entries.</param>
/// <param name="Entries">Allowed scans inwards.</param>
/// <param name="Exits">Allowed scans outwards.</param>
/// <param name="OccupancyChange">The change in people inside that the capacity counted (entries minus exits and annulments that freed a place).</param>
public sealed record MetricsExportRow(
    DateTimeOffset Minute, Guid GateId, string? GateName, string? Category, long Scans, long Allowed, long Denied, long Annulled, long Entries,
    long Exits, long OccupancyChange);
