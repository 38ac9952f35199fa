using EventSeries.Feed;

namespace EventSeries.Api.Feed;

/// <summary>
/// One feed (a series, or every series of an event) in this process, shared by all its clients:
/// turns what the series' feed grains forward into events once, puts check-ins and transitions in
/// (<c>at</c>, id) order, and hands each release to every client's buffer. Order matters because
/// an event id is a resume position: scans decided on different silos reach this process a little
/// out of order, so each is held <see cref="FeedOptions.SettleDelay"/> after it arrived, and a release
/// sends everything up to the newest event that has waited that long, sorted. Metrics and gate
/// states go out at once; heartbeats every <see cref="FeedOptions.HeartbeatInterval"/>.
/// </summary>
public sealed class FeedSequencer : IDisposable
{
    private readonly FeedOptions _options;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly List<(FeedItem Item, long ArrivedAt)> _held = [];
    private readonly ITimer _release;
    private readonly ITimer _heartbeat;
    private ImmutableArray<FeedSubscriber> _subscribers = [];
    private int _releasing;

    public FeedSequencer(string key, ImmutableArray<Guid> seriesIds, FeedOptions options, TimeProvider clock)
    {
        Key = key;
        SeriesIds = seriesIds;
        _options = options;
        _clock = clock;
        _release = clock.CreateTimer(_ => Release(), null, options.ReleasePeriod, options.ReleasePeriod);
        _heartbeat = clock.CreateTimer(_ => Broadcast([FeedJson.Heartbeat(clock.GetUtcNow())]), null, options.HeartbeatInterval, options.HeartbeatInterval);
    }

    /// <summary>Which feed: <c>series:{id}</c> or <c>event:{id}</c>.</summary>
    public string Key { get; }

    /// <summary>The series whose news this feed carries.</summary>
    public ImmutableArray<Guid> SeriesIds { get; private set; }

    public bool HasSubscribers => !_subscribers.IsEmpty;

    public int SubscriberCount => _subscribers.Length;

    public void Add(FeedSubscriber subscriber) => ImmutableInterlocked.Update(ref _subscribers, s => s.Add(subscriber));

    public void Remove(FeedSubscriber subscriber) => ImmutableInterlocked.Update(ref _subscribers, s => s.Remove(subscriber));

    /// <summary>An event's feed follows series created after it started.</summary>
    public void Follow(Guid seriesId) => SeriesIds = SeriesIds.Add(seriesId);

    /// <summary>Takes a batch a series' feed grain forwarded (any thread).</summary>
    public void Accept(SeriesFeedBatch batch)
    {
        if (batch.Metrics is { } metrics)
        {
            Broadcast([FeedJson.Metrics(metrics)]);
        }

        if (!batch.Gates.IsDefaultOrEmpty)
        {
            Broadcast([.. batch.Gates.Select(FeedJson.Gate)]);
        }

        if (batch.Scans.IsDefaultOrEmpty && batch.Transitions.IsDefaultOrEmpty)
        {
            return;
        }

        // Serialized before taking the lock the release timer needs too.
        var items = (batch.Scans.IsDefault ? [] : batch.Scans).Select(FeedJson.Checkin)
            .Concat((batch.Transitions.IsDefault ? [] : batch.Transitions).Select(FeedJson.Transition))
            .ToList();
        var arrived = _clock.GetTimestamp();
        lock (_gate)
        {
            foreach (var item in items)
            {
                _held.Add((item, arrived));
            }
        }
    }

    /// <summary>Tells every client to refetch: something may have been missed (the series' feed grain moved).</summary>
    public void Reset(string reason) => Broadcast([FeedJson.Reset(reason)]);

    /// <summary>Sends, in order, everything up to the newest held event that has settled.</summary>
    private void Release()
    {
        // Ticks must not overlap: two releases at once could send out of order.
        if (Interlocked.Exchange(ref _releasing, 1) == 1)
        {
            return;
        }

        try
        {
            ImmutableArray<FeedItem> released;
            lock (_gate)
            {
                if (_held.Count == 0)
                {
                    return;
                }

                // Held in arrival order: the settled ones are a prefix.
                var now = _clock.GetTimestamp();
                FeedPosition? upTo = null;
                foreach (var (item, arrivedAt) in _held)
                {
                    if (_clock.GetElapsedTime(arrivedAt, now) < _options.SettleDelay)
                    {
                        break;
                    }

                    upTo = upTo is { } max && max >= item.Position!.Value ? max : item.Position;
                }

                if (upTo is not { } cutoff)
                {
                    return;
                }

                released = [.. _held.Where(h => h.Item.Position!.Value <= cutoff).Select(h => h.Item).OrderBy(i => i.Position!.Value)];
                _held.RemoveAll(h => h.Item.Position!.Value <= cutoff);
            }

            Broadcast(released);
        }
        finally
        {
            Volatile.Write(ref _releasing, 0);
        }
    }

    private void Broadcast(ImmutableArray<FeedItem> batch)
    {
        foreach (var subscriber in _subscribers)
        {
            // A full buffer drops that client (inside Offer); the others are unaffected.
            subscriber.Offer(batch);
        }
    }

    public void Dispose()
    {
        _release.Dispose();
        _heartbeat.Dispose();
        foreach (var subscriber in _subscribers)
        {
            subscriber.Complete();
        }
    }
}
