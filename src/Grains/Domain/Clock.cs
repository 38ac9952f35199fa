namespace EventSeries.Grains.Domain;

/// <summary>Time as the domain stores it.</summary>
public static class Clock
{
    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL keeps microseconds, so a value read back after a
    /// restart is then equal to the one held in memory before it.
    /// </summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
