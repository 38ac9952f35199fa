using EventSeries.CheckIns;
using EventSeries.Feed;
using Orleans.Concurrency;

namespace EventSeries.Grains.Gates;

/// <summary>
/// How the scan stream reaches a gate's grain: the series' feed grain hands it the gate's share of
/// each batch, one way. Internal to the silos (in Grains, which the API cannot reference).
/// </summary>
[Alias("es.gate.activity")]
public interface IGateActivityGrain : IGrainWithGuidKey
{
    [Alias("record"), OneWay]
    Task RecordAsync(ImmutableArray<ScanEvent> scans);

    /// <summary>The gate's state for the live feed of <paramref name="seriesId"/> (null when the gate is not the series' event's).</summary>
    [Alias("feed-state"), ReadOnly]
    Task<SeriesFeedGate?> FeedStateAsync(Guid seriesId);
}
