using EventSeries.Series;

namespace EventSeries.Grains.Series;

/// <summary>
/// What the silo's lifecycle sweeper asks of a series, implemented by the same series grain. In the
/// Grains project so the API cannot reach it (see <see cref="ISeriesChildGrain"/>).
/// </summary>
[Alias("es.series.lifecycle")]
public interface ISeriesLifecycleGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Moves the lifecycle on by the domain clock: scheduled becomes active once the check-in window
    /// has opened, active becomes completed once it has closed (both if both are past). Each step is
    /// logged with actor <c>system</c>. Does nothing otherwise; returns the lifecycle after it.
    /// </summary>
    [Alias("advance-lifecycle")]
    Task<SeriesLifecycle?> AdvanceLifecycleAsync();

    /// <summary>
    /// Makes sure a recurring parent is working through its running jobs (after a restart nothing
    /// else would wake it). Does nothing when there are none or they are already being worked on.
    /// </summary>
    [Alias("resume-jobs")]
    Task ResumeJobsAsync();
}
