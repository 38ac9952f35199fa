namespace EventSeries;

/// <summary>
/// The clock of the domain (windows, lifecycles, annulment deadlines, token expiry). It wraps a
/// <see cref="TimeProvider"/> but is a type of its own, so tests can move it without moving the
/// clock Orleans' own timers run on.
/// </summary>
public sealed class DomainTime(TimeProvider provider)
{
    /// <summary>The system clock.</summary>
    public static DomainTime System { get; } = new(TimeProvider.System);

    /// <summary>The underlying provider.</summary>
    public TimeProvider Provider { get; } = provider;

    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL keeps microseconds, so a value read back after a
    /// restart equals the one held in memory before it.
    /// </summary>
    public DateTimeOffset Now()
    {
        var now = Provider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
