using System.Diagnostics;

namespace EventSeries.Bench.Chaos;

/// <summary>
/// Seconds from the start of the load: negative during the warm-up before it. Fault times, the
/// gap and the per-second counts are all measured on this clock.
/// </summary>
public sealed class LoadClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private double _origin = double.MaxValue / 2;

    public double Now => _watch.Elapsed.TotalSeconds - _origin;

    /// <summary>The load starts now: from here on <see cref="Now"/> counts from zero.</summary>
    public void StartLoad() => _origin = _watch.Elapsed.TotalSeconds;
}
