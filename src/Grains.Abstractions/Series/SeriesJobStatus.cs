namespace EventSeries.Series;

/// <summary>Where a background job is: still working, done, or done with instances it could not change.</summary>
public enum SeriesJobStatus
{
    Running,
    Completed,

    /// <summary>Every instance was asked, but some refused with an error (see the job's last error); asking again is safe.</summary>
    Failed,
}
