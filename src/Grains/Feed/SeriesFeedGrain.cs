using EventSeries.CheckIns;
using EventSeries.Feed;
using EventSeries.Grains.CheckIns.Metrics;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Grains.Gates;
using EventSeries.Series;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace EventSeries.Grains.Feed;

/// <summary>
/// Relays a series' committed scans and transitions to the API processes streaming its feed, and
/// its metrics at most once a <see cref="SeriesFeedGrainLimits.MetricsPeriod"/> while scans come in.
/// Implicitly subscribed, like the metrics grain: an API process (a cluster client, or the API
/// co-hosted in a silo) never subscribes to the memory stream itself, because an explicit
/// subscription is a PubSubStore row in PostgreSQL per series and process, and one left behind by a
/// process that died would keep being delivered to. Observers expire instead.
/// </summary>
[GrainType("series-feed"), ImplicitStreamSubscription(ScanStream.Namespace), ImplicitStreamSubscription(TransitionStream.Namespace)]
public sealed partial class SeriesFeedGrain(TimeProvider clock, EventRulesCache rules, ILogger<SeriesFeedGrain> logger) : Grain, ISeriesFeedGrain
{
    private readonly Guid _activation = Guid.NewGuid();
    private readonly Dictionary<ISeriesFeedObserver, DateTimeOffset> _observers = [];
    private IGrainTimer? _metricsTimer;
    private bool _scannedSinceMetrics;

    private Guid SeriesId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var streams = this.GetStreamProvider(ScanStream.Provider);
        await streams.GetStream<ScanEventBatch>(StreamId.Create(ScanStream.Namespace, SeriesId))
            .SubscribeAsync((batch, _) =>
            {
                ForwardToGates(batch.Events);
                NoteGates(batch.Events);
                return ForwardAsync(new SeriesFeedBatch(SeriesId, batch.Events, [], null), scans: true);
            });
        await streams.GetStream<SeriesTransition>(StreamId.Create(TransitionStream.Namespace, SeriesId))
            .SubscribeAsync((transition, _) => ForwardAsync(new SeriesFeedBatch(SeriesId, [], [transition], null), scans: false));
    }

    /// <summary>
    /// Each gate's grain gets its share of the batch, one way (a series has a handful of gates), so
    /// gate state follows the stream without a subscription per gate and never waits on a gate.
    /// </summary>
    private void ForwardToGates(ImmutableArray<ScanEvent> scans)
    {
        foreach (var gate in scans.GroupBy(s => s.GateId))
        {
            GrainFactory.GetGrain<IGateActivityGrain>(gate.Key).RecordAsync([.. gate]).Ignore();
        }
    }

    public Task<Guid> WatchAsync(ISeriesFeedObserver observer)
    {
        if (!_observers.ContainsKey(observer))
        {
            _gatesSent.Clear(); // a new observer: every gate goes out once more on the next tick
        }

        _observers[observer] = clock.GetUtcNow() + SeriesFeedGrainLimits.ObserverLifetime;
        _metricsTimer ??= this.RegisterGrainTimer(
            _ => SendMetricsAsync(), new GrainTimerCreationOptions(SeriesFeedGrainLimits.MetricsPeriod, SeriesFeedGrainLimits.MetricsPeriod));
        return Task.FromResult(_activation);
    }

    public Task UnwatchAsync(ISeriesFeedObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    private async Task ForwardAsync(SeriesFeedBatch batch, bool scans)
    {
        if (_observers.Count == 0)
        {
            return;
        }

        _scannedSinceMetrics |= scans;
        foreach (var observer in _observers.Keys.ToList())
        {
            try
            {
                // One-way: completes once sent, never waits for the process.
                await observer.OnFeedAsync(batch);
            }
            catch (Exception e)
            {
                LogForwardFailed(logger, e, SeriesId);
                _observers.Remove(observer);
            }
        }
    }

    /// <summary>
    /// Forgets observers that stopped refreshing; sends the gates whose state changed, and metrics if
    /// scans came in since the last time.
    /// </summary>
    private async Task SendMetricsAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var (observer, until) in _observers.ToList())
        {
            if (until < now)
            {
                _observers.Remove(observer);
            }
        }

        if (_observers.Count == 0)
        {
            _metricsTimer?.Dispose();
            _metricsTimer = null;
            return;
        }

        await SendGatesAsync();
        if (!_scannedSinceMetrics)
        {
            return;
        }

        _scannedSinceMetrics = false;
        try
        {
            var metrics = await GrainFactory.GetGrain<ISeriesMetricsSource>(SeriesId).CurrentAsync();
            await ForwardAsync(new SeriesFeedBatch(SeriesId, [], [], SeriesFeedMetrics.From(metrics)), scans: false);
        }
        catch (Exception e)
        {
            // The next scan asks again; the metrics endpoint is the truth meanwhile.
            LogMetricsFailed(logger, e, SeriesId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forward the feed of series {SeriesId} to an observer; it is dropped until it watches again.")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, Guid seriesId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the metrics of series {SeriesId} for its feed.")]
    private static partial void LogMetricsFailed(ILogger logger, Exception exception, Guid seriesId);
}
