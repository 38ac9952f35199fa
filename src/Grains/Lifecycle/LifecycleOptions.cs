namespace EventSeries.Grains.Lifecycle;

/// <summary>How the automatic lifecycle sweeps (configuration section <c>Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    /// <summary>
    /// How often each silo looks for series whose check-in window opened or closed, on the domain
    /// clock. Default 15 seconds: an automatic transition happens at most this late.
    /// </summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Due series read per query. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Series grains asked at once. Default 16.</summary>
    public int Parallelism { get; set; } = 16;
}
