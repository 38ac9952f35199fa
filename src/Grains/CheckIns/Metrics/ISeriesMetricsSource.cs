using EventSeries.CheckIns;

namespace EventSeries.Grains.CheckIns.Metrics;

/// <summary>
/// What the series' feed grain reads of its metrics grain, without a caller: the feed's watchers
/// were authorized by the API before they were attached. In the Grains project, so the API cannot call it.
/// </summary>
[Alias("es.series-metrics.source")]
public interface ISeriesMetricsSource : IGrainWithGuidKey
{
    /// <summary>The current metrics (started from the log first if they were not yet).</summary>
    [Alias("current")]
    Task<SeriesMetrics> CurrentAsync();
}
