using EventSeries.CheckIns;
using EventSeries.Feed;
using EventSeries.Gates;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Series;

namespace EventSeries.Grains.Gates;

/// <summary>
/// A gate's live state (<see cref="IGateGrain"/>): counts what the series' feed grains hand it from
/// the scan stream, and reads open or closed, the gate's event and its series' lifecycles from the
/// silo's rules, the same the scans are checked against (so a closed gate shows closed from the
/// moment scans are refused at it).
/// </summary>
[GrainType("gate")]
public sealed class GateGrain(EventRulesCache rules, DomainTime time) : Grain, IGateGrain, IGateActivityGrain
{
    private GateActivity _activity = null!;

    private Guid GateId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activity = new GateActivity(time.Now());
        return Task.CompletedTask;
    }

    public Task RecordAsync(ImmutableArray<ScanEvent> scans)
    {
        foreach (var scan in scans.Where(s => s.GateId == GateId))
        {
            _activity.Record(scan);
        }

        _activity.Prune(time.Now());
        return Task.CompletedTask;
    }

    public async Task<SeriesFeedGate?> FeedStateAsync(Guid seriesId)
    {
        if (await rules.GetSeriesAsync(seriesId) is not { } found || !found.Event.Gates.TryGetValue(GateId, out var gate))
        {
            return null;
        }

        var now = time.Now();
        _activity.Prune(now);
        var jammed = _activity.Jammed(now, found.Series.Lifecycle == SeriesLifecycle.Active);
        var current = _activity.Minutes(now)[^1];
        return new SeriesFeedGate(GateId, seriesId, gate.Name, gate.Status, jammed is not null, jammed, current.Scans, current.Denied, _activity.LastScan?.At);
    }

    public async Task<GateLiveView> GetLiveAsync(Caller caller, Guid eventId)
    {
        // Tenancy where the data is: the gate must be the event's, and the caller the event's organization's.
        if (await rules.GetEventAsync(eventId) is not { } ev || !ev.Gates.TryGetValue(GateId, out var gate) || !caller.BelongsTo(ev.OrganizationId))
        {
            throw DomainException.NotFound("Gate");
        }

        caller.Authorize(ev.OrganizationId, Permission.View, "Gate");
        var now = time.Now();
        _activity.Prune(now);
        var seriesActive = _activity.LastScan is { SeriesId: { } lastSeries } && ev.SeriesById.TryGetValue(lastSeries, out var series) && series.Lifecycle == SeriesLifecycle.Active;
        var jammed = _activity.Jammed(now, seriesActive);
        return new GateLiveView(
            GateId, eventId, gate.Name, gate.Status, _activity.Minutes(now), _activity.LastScan, _activity.ScannersLastMinute(now),
            jammed is not null, jammed, _activity.Since);
    }
}
