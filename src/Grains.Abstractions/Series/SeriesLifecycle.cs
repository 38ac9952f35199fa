namespace EventSeries.Series;

/// <summary>
/// The lifecycle of a series: draft -&gt; scheduled -&gt; active -&gt; completed, or cancelled from any
/// non-terminal state. Completed and cancelled are terminal.
/// </summary>
public enum SeriesLifecycle
{
    /// <summary>Being prepared; invisible to scanners.</summary>
    Draft = 0,

    /// <summary>Published and waiting for its check-in window.</summary>
    Scheduled = 1,

    /// <summary>Check-ins are allowed.</summary>
    Active = 2,

    /// <summary>The series has ended (terminal).</summary>
    Completed = 3,

    /// <summary>Called off (terminal).</summary>
    Cancelled = 4,
}
