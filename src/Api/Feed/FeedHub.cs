using Microsoft.Extensions.Options;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Feed;

/// <summary>
/// The process's live feeds: one <see cref="FeedSequencer"/> per feed with clients, one
/// <see cref="SeriesSource"/> (one observer on the series' feed grain) per series any of them
/// follows, both kept exactly while someone listens. In the background it refreshes every
/// observer and takes new series into events' feeds.
/// </summary>
public sealed partial class FeedHub(
    IGrainFactory grains, FeedQueries queries, IOptions<FeedOptions> options, TimeProvider clock, ILogger<FeedHub> logger) : BackgroundService
{
    private const string EventPrefix = "event:";

    // Changes are made under _lock (they await grain calls); the dictionaries' own locks are for readers outside it.
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<Guid, SeriesSource> _sources = [];
    private readonly Dictionary<string, FeedSequencer> _feeds = [];

    /// <summary>The key of a series' feed.</summary>
    public static string SeriesKey(Guid seriesId) => $"series:{seriesId:N}";

    /// <summary>The key of an event's feed.</summary>
    public static string EventKey(Guid eventId) => $"{EventPrefix}{eventId:N}";

    /// <summary>Whether this process watches the series' feed grain now (for tests and diagnostics).</summary>
    public bool Watches(Guid seriesId)
    {
        lock (_sources)
        {
            return _sources.ContainsKey(seriesId);
        }
    }

    /// <summary>How many clients the feed has in this process (for tests and diagnostics).</summary>
    public int Subscribers(string key)
    {
        lock (_feeds)
        {
            return _feeds.TryGetValue(key, out var feed) ? feed.SubscriberCount : 0;
        }
    }

    /// <summary>
    /// Attaches a client to a feed; live events flow into its buffer from the moment this returns,
    /// so a replay read afterwards cannot leave a gap. Fails (and attaches nothing) when a series'
    /// feed grain cannot be reached.
    /// </summary>
    public async Task<FeedSubscription> SubscribeAsync(string key, ImmutableArray<Guid> seriesIds, FeedSubscriber subscriber, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_feeds.TryGetValue(key, out var feed))
            {
                feed = new FeedSequencer(key, seriesIds, options.Value, clock);
                lock (_feeds)
                {
                    _feeds[key] = feed;
                }
            }

            feed.Add(subscriber);
            try
            {
                foreach (var seriesId in feed.SeriesIds)
                {
                    await FollowAsync(feed, seriesId);
                }
            }
            catch
            {
                await RemoveAsync(feed, subscriber);
                throw;
            }

            return new FeedSubscription(this, feed, subscriber);
        }
        finally
        {
            _lock.Release();
        }
    }

    internal async Task UnsubscribeAsync(FeedSequencer feed, FeedSubscriber subscriber)
    {
        await _lock.WaitAsync();
        try
        {
            await RemoveAsync(feed, subscriber);
        }
        finally
        {
            _lock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ObserverRefresh, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Keeps every observer registered, and has events' feeds follow their new series.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            foreach (var feed in _feeds.Values.Where(f => f.Key.StartsWith(EventPrefix, StringComparison.Ordinal)).ToList())
            {
                try
                {
                    var eventId = Guid.ParseExact(feed.Key[EventPrefix.Length..], "N");
                    foreach (var seriesId in (await queries.EventSeriesAsync(eventId, options.Value.MaxSeriesPerEvent)).Except(feed.SeriesIds))
                    {
                        await FollowAsync(feed, seriesId);
                        feed.Follow(seriesId);
                    }
                }
                catch (Exception e)
                {
                    LogRefreshFailed(logger, e, feed.Key);
                }
            }

            await Task.WhenAll(_sources.Values.Select(async source =>
            {
                try
                {
                    await source.WatchAsync();
                }
                catch (Exception e)
                {
                    LogRefreshFailed(logger, e, SeriesKey(source.SeriesId));
                }
            }));
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task FollowAsync(FeedSequencer feed, Guid seriesId)
    {
        if (!_sources.TryGetValue(seriesId, out var source))
        {
            source = new SeriesSource(seriesId, grains);
            try
            {
                await source.WatchAsync();
            }
            catch
            {
                await StopQuietlyAsync(source);
                throw;
            }

            lock (_sources)
            {
                _sources[seriesId] = source;
            }
        }

        source.Add(feed);
    }

    private async Task RemoveAsync(FeedSequencer feed, FeedSubscriber subscriber)
    {
        feed.Remove(subscriber);
        subscriber.Complete();
        lock (_feeds)
        {
            if (feed.HasSubscribers || !_feeds.Remove(feed.Key))
            {
                return;
            }
        }

        feed.Dispose();
        foreach (var seriesId in feed.SeriesIds)
        {
            if (_sources.TryGetValue(seriesId, out var source))
            {
                source.Remove(feed);
                if (!source.HasFeeds)
                {
                    lock (_sources)
                    {
                        _sources.Remove(seriesId);
                    }
                    await StopQuietlyAsync(source);
                }
            }
        }
    }

    private async Task StopQuietlyAsync(SeriesSource source)
    {
        try
        {
            await source.StopAsync();
        }
        catch (Exception e)
        {
            // The grain forgets an observer that stops refreshing within its lifetime anyway.
            LogStopFailed(logger, e, source.SeriesId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the live feed {FeedKey}; it is tried again at the next refresh.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string feedKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not unregister from the feed grain of series {SeriesId}; it expires there.")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, Guid seriesId);
}

/// <summary>One client's place in a feed; disposing it detaches the client (and what only it needed).</summary>
public sealed class FeedSubscription(FeedHub hub, FeedSequencer feed, FeedSubscriber subscriber) : IAsyncDisposable
{
    private int _disposed;

    public FeedSubscriber Subscriber => subscriber;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await hub.UnsubscribeAsync(feed, subscriber);
        }
    }
}
