namespace EventSeries.Feed;

/// <summary>An API process's end of a series' feed (see <see cref="ISeriesFeedGrain"/>).</summary>
[Alias("es.series-feed-observer")]
public interface ISeriesFeedObserver : IGrainObserver
{
    /// <summary>
    /// One batch of the series' news. One-way: the grain never waits for a process, so a slow or
    /// dead one cannot hold up the feed of the others (or anything on the scan path).
    /// </summary>
    [Alias("on-feed"), OneWay]
    Task OnFeedAsync(SeriesFeedBatch batch);
}
