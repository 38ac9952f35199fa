namespace EventSeries.Series;

/// <summary>How often a wristband may enter a series.</summary>
public enum ReentryPolicy
{
    /// <summary>One entry ever (an exit does not allow another).</summary>
    Single = 0,

    /// <summary>Entry, exit, entry...: no second entry while inside (anti-passback).</summary>
    Reentry = 1,

    /// <summary>No passback check.</summary>
    Unlimited = 2,
}
