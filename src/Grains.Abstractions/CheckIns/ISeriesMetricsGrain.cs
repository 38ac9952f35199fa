using EventSeries.Security;

namespace EventSeries.CheckIns;

/// <summary>
/// Live metrics of one series: fed by the scan stream, reconciled from the check-in log when it
/// activates and on demand.
/// </summary>
[Alias("es.series-metrics")]
public interface ISeriesMetricsGrain : IGrainWithGuidKey
{
    /// <summary>The current metrics.</summary>
    [Alias("get")]
    Task<SeriesMetrics> GetAsync(Caller caller);

    /// <summary>Recomputes every number from the check-in log in PostgreSQL and returns it.</summary>
    [Alias("compute")]
    Task<SeriesMetrics> ComputeAsync(Caller caller);
}
