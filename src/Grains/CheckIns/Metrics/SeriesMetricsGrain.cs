using EventSeries.CheckIns;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Persistence.CheckIns;
using EventSeries.Persistence.Telemetry;
using Orleans.Runtime;
using Orleans.Streams;

namespace EventSeries.Grains.CheckIns.Metrics;

/// <summary>
/// Live metrics of one series. On its first authorized call or scan (and on demand, and every five
/// minutes) it computes the truth from the check-in log; in between it folds in the scan stream. Events the snapshot
/// already counted are recognised by id (the snapshot returns the ids of its recent rows), so
/// nothing is counted twice; anything the stream lost is repaired by the next recompute.
/// </summary>
[GrainType("series-metrics"), ImplicitStreamSubscription(ScanStream.Namespace)]
public sealed class SeriesMetricsGrain(MetricsStore store, EventRulesCache rules, DomainTime time) : Grain, ISeriesMetricsGrain, ISeriesMetricsSource
{
    /// <summary>Stream events older than this were certainly committed before any later snapshot.</summary>
    private static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(30);

    /// <summary>The seed's cache period: the cache row is rewritten (and the numbers re-verified) this often.</summary>
    private static readonly TimeSpan CachePeriod = TimeSpan.FromMinutes(5);

    private readonly HashSet<Guid> _recent = [];
    private readonly Queue<(Guid Id, DateTimeOffset At)> _recentOrder = new();
    private MetricsAccumulator _metrics = new();
    private DateTimeOffset _computedAt;
    private bool _started;

    private Guid SeriesId => this.GetPrimaryKey();

    /// <summary>
    /// Only listens: nothing is read or written until an authorized call or a scan of the series
    /// starts the metrics (<see cref="StartAsync"/>), so a request for a made-up or foreign series
    /// costs no query and leaves no cache timer behind.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(ScanStream.Provider).GetStream<ScanEventBatch>(StreamId.Create(ScanStream.Namespace, SeriesId));
        await stream.SubscribeAsync((batch, _) => ApplyAsync(batch));
    }

    public async Task<SeriesMetrics> GetAsync(Caller caller)
    {
        await AuthorizeAsync(caller, Permission.View);
        await StartAsync();
        return _metrics.ToMetrics(SeriesId, _computedAt);
    }

    /// <summary>Only the feed grain asks, and only after scans of this series were seen, so the series exists.</summary>
    public async Task<SeriesMetrics> CurrentAsync()
    {
        await StartAsync();
        return _metrics.ToMetrics(SeriesId, _computedAt);
    }

    public async Task<SeriesMetrics> ComputeAsync(Caller caller)
    {
        await AuthorizeAsync(caller, Permission.RecomputeMetrics);
        await StartAsync(compute: false);
        await RecomputeAsync(saveCache: true);
        return _metrics.ToMetrics(SeriesId, _computedAt);
    }

    /// <summary>The first time: the truth from the log, then the periodic cache rewrite.</summary>
    private async Task StartAsync(bool compute = true)
    {
        if (_started)
        {
            return;
        }

        if (compute)
        {
            await RecomputeAsync();
        }

        this.RegisterGrainTimer(async _ => await RecomputeAsync(saveCache: true), new GrainTimerCreationOptions(CachePeriod, CachePeriod));
        _started = true;
    }

    private async Task ApplyAsync(ScanEventBatch batch)
    {
        // Scans only exist for real series; the snapshot already holds this batch, and its ids make
        // the loop below skip them.
        await StartAsync();
        var arrived = time.Now();
        foreach (var scan in batch.Events)
        {
            EventSeriesInstruments.ScanStreamLag.Record(Math.Max(0, (arrived - scan.At).TotalSeconds));
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

    private async Task AuthorizeAsync(Caller caller, Permission permission)
    {
        if (await rules.GetSeriesAsync(SeriesId) is not { } found)
        {
            // Nothing to keep for a series that does not exist: no activation lingers for made-up ids.
            DeactivateOnIdle();
            throw DomainException.NotFound("Series");
        }

        caller.Authorize(found.Event.OrganizationId, permission, "Series");
    }
}
