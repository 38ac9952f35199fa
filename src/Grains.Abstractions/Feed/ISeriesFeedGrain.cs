namespace EventSeries.Feed;

/// <summary>
/// The live feed of one series inside the cluster: subscribed (implicitly) to the series' scan and
/// transition streams, it forwards them to the API processes that watch it, one observer per
/// process however many clients that process streams to. Authorization happens in the API before a
/// client is attached (the tenancy check in SQL, as for the check-in log); this grain only relays.
/// </summary>
[Alias("es.series-feed")]
public interface ISeriesFeedGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Registers (or refreshes) an observer for <see cref="SeriesFeedGrainLimits.ObserverLifetime"/>;
    /// watchers call again well before that. Returns the activation's id: a new one tells the
    /// watcher that events may have been lost in between (the previous activation's silo died).
    /// </summary>
    [Alias("watch")]
    Task<Guid> WatchAsync(ISeriesFeedObserver observer);

    /// <summary>Stops forwarding to the observer.</summary>
    [Alias("unwatch")]
    Task UnwatchAsync(ISeriesFeedObserver observer);
}

/// <summary>Fixed limits of the feed grain that watchers must respect.</summary>
public static class SeriesFeedGrainLimits
{
    /// <summary>An observer not refreshed for this long is forgotten (its process is gone).</summary>
    public static readonly TimeSpan ObserverLifetime = TimeSpan.FromSeconds(30);

    /// <summary>While something changed, metrics are forwarded at most this often.</summary>
    public static readonly TimeSpan MetricsPeriod = TimeSpan.FromSeconds(1);
}
