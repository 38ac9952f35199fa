using EventSeries.Feed;

namespace EventSeries.Api.Feed;

/// <summary>
/// This process's one subscription to a series' feed grain while any of its feeds need that series:
/// an observer the grain forwards to, refreshed every <see cref="FeedOptions.ObserverRefresh"/>,
/// handing each batch to the feeds that follow the series.
/// </summary>
public sealed class SeriesSource(Guid seriesId, IGrainFactory grains) : ISeriesFeedObserver
{
    private ImmutableArray<FeedSequencer> _feeds = [];
    private ISeriesFeedObserver? _reference;
    private Guid? _activation;

    public Guid SeriesId => seriesId;

    public bool HasFeeds => !_feeds.IsEmpty;

    public void Add(FeedSequencer feed) => ImmutableInterlocked.Update(ref _feeds, f => f.Contains(feed) ? f : f.Add(feed));

    public void Remove(FeedSequencer feed) => ImmutableInterlocked.Update(ref _feeds, f => f.Remove(feed));

    public Task OnFeedAsync(SeriesFeedBatch batch)
    {
        foreach (var feed in _feeds)
        {
            feed.Accept(batch);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Registers with the grain, or refreshes the registration. A different activation than last
    /// time means the grain was lost with its silo and what it received meanwhile may be gone:
    /// the feeds tell their clients to refetch.
    /// </summary>
    public async Task WatchAsync()
    {
        _reference ??= grains.CreateObjectReference<ISeriesFeedObserver>(this);
        var activation = await grains.GetGrain<ISeriesFeedGrain>(seriesId).WatchAsync(_reference);
        if (_activation is { } known && known != activation)
        {
            foreach (var feed in _feeds)
            {
                feed.Reset($"The live feed of series {seriesId} restarted; events may have been missed. Refetch, then reconnect without Last-Event-ID.");
            }
        }

        _activation = activation;
    }

    /// <summary>Unregisters; the grain would forget this observer within its lifetime anyway.</summary>
    public async Task StopAsync()
    {
        if (_reference is null)
        {
            return;
        }

        try
        {
            await grains.GetGrain<ISeriesFeedGrain>(seriesId).UnwatchAsync(_reference);
        }
        finally
        {
            grains.DeleteObjectReference<ISeriesFeedObserver>(_reference);
            _reference = null;
        }
    }
}
