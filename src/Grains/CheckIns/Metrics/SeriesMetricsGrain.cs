using EventSeries.CheckIns;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Persistence.CheckIns;
using Orleans.Runtime;
using Orleans.Streams;

namespace EventSeries.Grains.CheckIns.Metrics;

/// <summary>
/// Live metrics of one series. On activation (and on demand, and every five minutes) it computes
/// the truth from the check-in log; in between it folds in the scan stream. Events the snapshot
/// already counted are recognised by id (the snapshot returns the ids of its recent rows), so
/// nothing is counted twice; anything the stream lost is repaired by the next recompute.
/// </summary>
[GrainType("series-metrics"), ImplicitStreamSubscription(ScanStream.Namespace)]
public sealed class SeriesMetricsGrain(MetricsStore store, EventRulesCache rules, DomainTime time) : Grain, ISeriesMetricsGrain
{
    /// <summary>Stream events older than this were certainly committed before any later snapshot.</summary>
    private static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(30);

    /// <summary>The seed's cache period: the cache row is rewritten (and the numbers re-verified) this often.</summary>
    private static readonly TimeSpan CachePeriod = TimeSpan.FromMinutes(5);

    private readonly HashSet<Guid> _recent = [];
    private readonly Queue<(Guid Id, DateTimeOffset At)> _recentOrder = new();
    private MetricsAccumulator _metrics = new();
    private DateTimeOffset _computedAt;

    private Guid SeriesId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RecomputeAsync();
        var stream = this.GetStreamProvider(ScanStream.Provider).GetStream<ScanEventBatch>(StreamId.Create(ScanStream.Namespace, SeriesId));
        await stream.SubscribeAsync((batch, _) => ApplyAsync(batch));
        this.RegisterGrainTimer(async _ => await RecomputeAsync(saveCache: true), new GrainTimerCreationOptions(CachePeriod, CachePeriod));
    }

    public async Task<SeriesMetrics> GetAsync(Caller caller)
    {
        await AuthorizeAsync(caller);
        return _metrics.ToMetrics(SeriesId, _computedAt);
    }

    public async Task<SeriesMetrics> ComputeAsync(Caller caller)
    {
        await AuthorizeAsync(caller);
        await RecomputeAsync(saveCache: true);
        return _metrics.ToMetrics(SeriesId, _computedAt);
    }

    private Task ApplyAsync(ScanEventBatch batch)
    {
        foreach (var scan in batch.Events)
        {
            if (_recent.Add(scan.CheckinId))
            {
                _recentOrder.Enqueue((scan.CheckinId, scan.At));
                _metrics.Apply(scan);
            }
        }

        var now = time.Now();
        while (_recentOrder.TryPeek(out var oldest) && now - oldest.At > RecentWindow)
        {
            _recent.Remove(_recentOrder.Dequeue().Id);
        }

        _computedAt = now;
        return Task.CompletedTask;
    }

    private async Task RecomputeAsync(bool saveCache = false)
    {
        var now = time.Now();
        var computed = await store.ComputeAsync(SeriesId, now, RecentWindow);
        _metrics = MetricsAccumulator.From(computed.Metrics, computed.Admissions);
        _recent.Clear();
        _recentOrder.Clear();
        foreach (var id in computed.RecentIds)
        {
            _recent.Add(id);
            _recentOrder.Enqueue((id, now));
        }

        _computedAt = now;
        if (saveCache)
        {
            await store.SaveCacheAsync(_metrics.ToMetrics(SeriesId, now));
        }
    }

    private async Task AuthorizeAsync(Caller caller)
    {
        var found = await rules.GetSeriesAsync(SeriesId) ?? throw DomainException.NotFound("Series");
        caller.Authorize(found.Event.OrganizationId, Permission.View, "Series");
    }
}
