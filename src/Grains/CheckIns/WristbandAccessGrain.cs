using EventSeries.Domain.CheckIns;
using EventSeries.CheckIns;
using EventSeries.Grains.CheckIns.Capacity;
using EventSeries.Grains.CheckIns.Metrics;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.CheckIns;
using EventSeries.Persistence.Rules;
using EventSeries.Wristbands;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace EventSeries.Grains.CheckIns;

/// <summary>
/// One wristband at the gates. Decides each scan from memory (rules from the silo's cache, its own
/// presence), logs it through the group-commit writer, and answers only once the row is durable.
/// Its state is rebuilt from the tables and the log on activation, so it always agrees with the log.
/// </summary>
[GrainType("wristband-access")]
public sealed partial class WristbandAccessGrain(
    EventRulesCache rulesCache, AccessLoader loader, AccessStore store, CheckinLogWriter log, ScanEventPublisher events, AuditTrail audit, DomainTime time,
    IOptions<CapacityOptions> capacityOptions, ILogger<WristbandAccessGrain> logger)
    : Grain, IWristbandAccessGrain
{
    /// <summary>A refused wristband re-reads its assignments at most this often (new assignments are not pushed).</summary>
    private static readonly TimeSpan AssignmentRefresh = TimeSpan.FromSeconds(1);

    /// <summary>How long an allowed entry may still be annulled.</summary>
    public static readonly TimeSpan AnnulWindow = TimeSpan.FromMinutes(15);

    /// <summary>How often places a shard did not take back are sent again.</summary>
    private static readonly TimeSpan GiveBackRetry = TimeSpan.FromSeconds(1);

    private readonly List<PlaceToGiveBack> _toGiveBack = [];
    private IGrainTimer? _giveBackTimer;
    private Guid _eventId;
    private string _nfcId = "";
    private AccessState _state = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_eventId, _nfcId) = AccessKey.Parse(this.GetPrimaryKeyString());
        await ReloadAsync();
    }

    public async Task<ScanVerdict> ScanAsync(ScanCommand scan)
    {
        var rules = await rulesCache.GetEventAsync(_eventId) ?? throw DomainException.NotFound("Event");
        scan.Caller.Authorize(rules.OrganizationId, Permission.Scan, "Event");
        var gate = rules.Gates.GetValueOrDefault(scan.GateId) ?? throw DomainException.NotFound("Gate");
        scan.Caller.AuthorizeScan(rules.OrganizationId, _eventId, scan.GateId);
        var target = scan.SeriesId is { } seriesId ? rules.SeriesById.GetValueOrDefault(seriesId) ?? throw DomainException.NotFound("Series") : null;
        if (rules.WristbandsVersion > _state.WristbandsVersion)
        {
            // An import changed the event's wristbands (status, category) since this one was read.
            await ReloadAsync();
        }

        for (var attempt = 0; ; attempt++)
        {
            if (_state.VerdictFor(scan.ScanId) is { } earlier)
            {
                return await RepeatAsync(rules, scan, earlier);
            }

            var now = time.Now();
            var rowId = Guid.CreateVersion7(now);
            var outcome = await DecideAsync(rules, gate, target, scan.Direction, now, rowId);

            // The row's time is read after its capacity place was taken, so the log in time order
            // admits in the order places were given: an auditor summing it never passes capacity.
            var row = ToRow(rules, scan, outcome, rowId, time.Now());
            bool committed;
            try
            {
                committed = await log.AppendAsync(row);
            }
            catch (Exception e) when (e is not DomainException)
            {
                await ReleaseCapacityAsync(outcome, row.Id);
                throw DomainException.Unavailable("The scan could not be recorded; nothing was admitted. Retry with the same scanId.");
            }

            if (committed)
            {
                if (_state.Wristband is null)
                {
                    // An NFC UID nobody registered (a misread, a foreign band, someone probing)
                    // keeps nothing worth holding: a stream of random UIDs must not fill the silo.
                    DeactivateOnIdle();
                }

                return await AcceptAsync(scan, outcome, row);
            }

            // A unique index refused the row: this scan id was logged already (answer as the first
            // time, if this is that scan; the id is event-wide, so it may have been another
            // wristband's), or another activation of this wristband moved its presence on (read
            // the truth from the log and decide again).
            await ReleaseCapacityAsync(outcome, row.Id);
            if (scan.ScanId is { } repeated && await store.FindVerdictAsync(_eventId, repeated) is { } first)
            {
                var answer = await RepeatAsync(rules, scan, first);
                _state.Remember(repeated, answer);
                return answer;
            }

            await ReloadAsync();
            if (attempt >= 2)
            {
                throw DomainException.Conflict("scan_conflict", "The wristband was scanned elsewhere at the same moment; scan again.");
            }
        }
    }

    /// <summary>
    /// The answer to a scan id seen before: the first verdict when this is the same scan (a retry),
    /// else a 409 recorded in the audit trail, so a learnt scan id admits no other card, gate or way.
    /// </summary>
    private async Task<ScanVerdict> RepeatAsync(EventRules rules, ScanCommand scan, ScanVerdict first)
    {
        if (ScanIdReuse.Differences(first, _nfcId, scan) is not { } differs)
        {
            return first;
        }

        if (_state.Wristband is null)
        {
            DeactivateOnIdle(); // as after any answer for an unknown UID
        }

        try
        {
            await audit.RecordAsync(ScanIdReuse.Audit(scan, rules.OrganizationId, _nfcId, first, differs, time.Now()));
        }
        catch (Exception e) when (e is not DomainException)
        {
            throw DomainException.Unavailable("The scan could not be recorded; nothing was admitted.");
        }

        throw ScanIdReuse.Refusal(scan.ScanId!.Value, differs);
    }

    public async Task<ScanVerdict> AnnulAsync(Caller caller, Guid seriesId, Guid checkinId)
    {
        var rules = await rulesCache.GetEventAsync(_eventId) ?? throw DomainException.NotFound("Event");
        caller.Authorize(rules.OrganizationId, Permission.Scan, "Event");
        var original = await store.FindCheckinAsync(checkinId);
        if (original is null || original.SeriesId != seriesId || original.EventId != _eventId || original.NfcId != _nfcId)
        {
            throw DomainException.NotFound("Check-in");
        }

        // Anyone who may scan may take back their own entry (a device included: it sees the
        // turnstile not turn); someone else's needs a manager, which a device never is.
        if (original.ActorUserId != caller.UserId)
        {
            caller.Authorize(rules.OrganizationId, Permission.AnnulOthersScans, "Event");
        }

        caller.AuthorizeScan(rules.OrganizationId, _eventId, original.GateId);

        var now = time.Now();
        var presence = _state.PresenceIn(seriesId);
        EnsureAnnullable(original, presence, now);
        var annul = original with
        {
            Id = Guid.CreateVersion7(now), Result = CheckinResult.Annulled, Reason = ScanReasons.Annulled, Detail = null,
            Message = "Entry annulled.", ScanId = null, ScannedAt = null, At = now, ActorUserId = caller.UserId,
            PresenceSeq = presence.LastSeq + 1, OccupancyDelta = -1, Annuls = original.Id,
        };
        bool committed;
        try
        {
            committed = await log.AppendAsync(annul);
        }
        catch (Exception e) when (e is not DomainException)
        {
            throw DomainException.Unavailable("The annulment could not be recorded; retry.");
        }

        if (!committed)
        {
            await ReloadAsync();
            throw DomainException.Conflict("not_annullable", "The wristband was scanned again meanwhile; the entry can no longer be annulled.");
        }

        _state.SetPresence(seriesId, presence with { LastSeq = presence.LastSeq + 1, Inside = Math.Max(0, presence.Inside - 1), Entries = presence.Entries - 1 });
        if (annul.CapacityShard is { } shard)
        {
            await GiveBackAsync(seriesId, shard, annul.Id, logged: true);
        }

        events.Publish(annul.ToScanEvent());
        return annul.ToVerdict();
    }

    public Task StatusChangedAsync(WristbandStatus status)
    {
        if (_state.Wristband is { } wristband)
        {
            _state.Wristband = wristband with { Status = status };
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// An exchange or a ticket's status change touched this band: read it again (once per change,
    /// never per scan), so its ticket's status, category and assignments are in memory for the next scan.
    /// </summary>
    public Task TicketChangedAsync() => ReloadAsync();

    public Task UnassignedAsync(Guid seriesId)
    {
        _state.Unassign(seriesId);
        return Task.CompletedTask;
    }

    private async Task<Outcome> DecideAsync(EventRules rules, GateRules gate, SeriesRules? target, ScanDirection direction, DateTimeOffset now, Guid rowId)
    {
        var outcome = await DecideOnceAsync(rules, gate, target, direction, now, rowId);
        if (outcome.Decision.Reason is ScanReasons.NotAssigned or ScanReasons.NoActiveSeries or ScanReasons.OutsideWindow or ScanReasons.UnknownWristband
            && now - _state.LoadedAt > AssignmentRefresh)
        {
            // Assignments (and registrations) are not pushed to wristbands; a refusal reads them again.
            await ReloadAsync();
            outcome = await DecideOnceAsync(rules, gate, target, direction, now, rowId);
        }

        return outcome;
    }

    private async Task<Outcome> DecideOnceAsync(EventRules rules, GateRules gate, SeriesRules? target, ScanDirection direction, DateTimeOffset now, Guid rowId)
    {
        if (ScanRules.CheckWristband(_state.Wristband) is { } refused)
        {
            return new Outcome(refused with { Series = target }, null, 0);
        }

        var wristband = _state.Wristband!;
        ImmutableArray<SeriesRules> candidates;
        if (target is not null)
        {
            candidates = [target];
        }
        else
        {
            var (open, denial) = ScanRules.SelectSeries(rules, _state.Assigned, direction, now);
            if (denial is not null)
            {
                return new Outcome(denial, null, 0);
            }

            candidates = open;
        }

        Outcome? firstDenial = null;
        foreach (var series in candidates)
        {
            var presence = _state.PresenceIn(series.Id);
            var decision = ScanRules.CheckSeries(series, gate, wristband, _state.Assigned.Contains(series.Id), presence, direction, now, rules.TimeZone);
            var outcome = decision.Allowed ? await ApplyCapacityAsync(decision, series, wristband, presence, direction, rowId) : new Outcome(decision, null, 0);
            if (outcome.Decision.Allowed)
            {
                return outcome;
            }

            firstDenial ??= outcome;
        }

        return firstDenial!;
    }

    /// <summary>Entries into a series with a capacity take a place from the wristband's shard first, reserved for the row <paramref name="rowId"/>.</summary>
    private async Task<Outcome> ApplyCapacityAsync(ScanDecision decision, SeriesRules series, WristbandInfo wristband, Presence presence, ScanDirection direction, Guid rowId)
    {
        var delta = direction == ScanDirection.In ? 1 : presence.Inside > 0 ? -1 : 0;
        if (series.Capacity is null || delta == 0)
        {
            return new Outcome(decision, null, delta);
        }

        if (delta < 0)
        {
            // The place goes back to the shard that counted the entry.
            return new Outcome(decision, presence.EntryShard ?? CapacityShards.Of(wristband.Id), delta);
        }

        var (shard, reserved) = await ReservePlaceAsync(series.Id, CapacityShards.Of(wristband.Id), rowId);
        if (!reserved)
        {
            return new Outcome(ScanDecision.Deny(ScanReasons.CapacityReached, null, $"{series.Name} is full right now.", series), null, 0);
        }

        return new Outcome(decision, shard, delta);
    }

    /// <summary>
    /// Takes a place for the entry <paramref name="rowId"/> from the wristband's own shard or, when
    /// that shard does not answer within <see cref="CapacityOptions.ShardAnswerWait"/> (its silo
    /// frozen or dead), from the next one. The entry's row names the shard that took it, so its exit
    /// gives it back there. A place the silent shard may still take for this row is cancelled (sent
    /// again until it is heard), and one it takes later anyway comes back when it finds the row
    /// counted elsewhere in the log: either way the series stays on the safe side of its capacity.
    /// When the own shard has no place and the coordinator does not answer its borrow (the
    /// coordinator's silo frozen or dead), the next shard is asked for a place it holds itself,
    /// without borrowing; with none there the entry is refused as full, as it would be at a full
    /// series, rather than left waiting until membership votes that silo dead.
    /// </summary>
    private async Task<(int Shard, bool Reserved)> ReservePlaceAsync(Guid seriesId, int home, Guid rowId)
    {
        var wait = capacityOptions.Value.ShardAnswerWait;
        var fallback = (home + 1) % CapacityShards.Count;
        bool mayBorrow;
        try
        {
            var answer = await ShardOf(seriesId, home).ReserveAsync(rowId, mayBorrow: true).WaitAsync(wait);
            if (answer != PlaceAnswer.CoordinatorSilent)
            {
                return (home, answer == PlaceAnswer.Taken);
            }

            LogCoordinatorSilent(logger, home, seriesId, fallback);
            mayBorrow = false; // it would wait for the same silent coordinator
        }
        catch (TimeoutException)
        {
            LogShardSilent(logger, home, seriesId, fallback);
            await GiveBackAsync(seriesId, home, rowId, logged: false);
            mayBorrow = true;
        }

        try
        {
            return (fallback, await ShardOf(seriesId, fallback).ReserveAsync(rowId, mayBorrow).WaitAsync(wait) == PlaceAnswer.Taken);
        }
        catch (TimeoutException)
        {
            // A second silence is a 503 for the scanner to retry (the same scan id), not a refusal;
            // a place this shard may still take for the row is cancelled like the first.
            await GiveBackAsync(seriesId, fallback, rowId, logged: false);
            throw DomainException.Unavailable("The series' capacity did not answer in time; nothing was changed. Retry.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Capacity shard {Shard} of series {SeriesId} has no place and its coordinator did not answer in time; the entry asks shard {Fallback} for a place of its own.")]
    private static partial void LogCoordinatorSilent(ILogger logger, int shard, Guid seriesId, int fallback);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity shard {Shard} of series {SeriesId} did not answer in time; the entry takes its place from shard {Fallback}.")]
    private static partial void LogShardSilent(ILogger logger, int shard, Guid seriesId, int fallback);

    private async Task<ScanVerdict> AcceptAsync(ScanCommand scan, Outcome outcome, CheckinRow row)
    {
        if (row.PresenceSeq is { } seq && outcome.Decision.Series is { } series)
        {
            var before = _state.PresenceIn(series.Id);
            var entered = scan.Direction == ScanDirection.In ? 1 : 0;
            var entryShard = row.OccupancyDelta > 0 ? outcome.Shard : before.EntryShard;
            _state.SetPresence(series.Id, new Presence(seq, Math.Max(0, before.Inside + row.OccupancyDelta), before.Entries + entered, entryShard));
            if (row.OccupancyDelta < 0 && outcome.Shard is { } shard)
            {
                await GiveBackAsync(series.Id, shard, row.Id, logged: true);
            }
        }

        var verdict = row.ToVerdict();
        if (scan.ScanId is { } scanId)
        {
            _state.Remember(scanId, verdict);
        }

        if (row.SeriesId is not null)
        {
            events.Publish(row.ToScanEvent());
        }
        else
        {
            events.PublishToGate(row.ToGateScanEvent());
        }

        return verdict;
    }

    /// <summary>Cancels the place reserved for an entry whose row <paramref name="rowId"/> was not logged.</summary>
    private async Task ReleaseCapacityAsync(Outcome outcome, Guid rowId)
    {
        if (outcome is { Shard: { } shard, OccupancyDelta: > 0, Decision.Series: { } series })
        {
            await GiveBackAsync(series.Id, shard, rowId, logged: false);
        }
    }

    /// <summary>
    /// Gives a capacity place back to its shard. This runs after the scan's fate is settled (its
    /// row committed, or its write failed), so a failure here must not become the scan's answer:
    /// the log holds the truth, and the answer is the verdict, or the 503 of the failed write. A
    /// place the shard did not take back is sent again every second until it does (shards count
    /// each release and cancellation once), and a reservation never cancelled at all comes back by
    /// itself once the shard finds no row for it in the log.
    /// </summary>
    private async Task GiveBackAsync(Guid seriesId, int shard, Guid checkinId, bool logged)
    {
        var place = new PlaceToGiveBack(seriesId, shard, checkinId, logged);
        if (!await TryGiveBackAsync(place))
        {
            _toGiveBack.Add(place);
            _giveBackTimer ??= this.RegisterGrainTimer(GiveBackAgainAsync, new GrainTimerCreationOptions(GiveBackRetry, GiveBackRetry) { KeepAlive = true });
        }
    }

    private async Task GiveBackAgainAsync(CancellationToken cancellationToken)
    {
        foreach (var place in _toGiveBack.ToArray())
        {
            if (await TryGiveBackAsync(place))
            {
                _toGiveBack.Remove(place);
            }
        }

        if (_toGiveBack.Count == 0)
        {
            _giveBackTimer?.Dispose();
            _giveBackTimer = null;
        }
    }

    private async Task<bool> TryGiveBackAsync(PlaceToGiveBack place)
    {
        try
        {
            var shard = ShardOf(place.SeriesId, place.Shard);

            // Bounded: a shard on a frozen silo must not hold up the exit's answer; the retry sends it
            // again, and a shard counts each release and cancellation once.
            await (place.Logged ? shard.ReleaseAsync(place.CheckinId) : shard.CancelAsync(place.CheckinId)).WaitAsync(capacityOptions.Value.ShardAnswerWait);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPlaceNotGivenBack(logger, e, place.SeriesId, place.Shard, place.CheckinId);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give a capacity place back to shard {Shard} of series {SeriesId} (check-in {CheckinId}); the scan's answer stands, and the place is sent again.")]
    private static partial void LogPlaceNotGivenBack(ILogger logger, Exception exception, Guid seriesId, int shard, Guid checkinId);

    private void EnsureAnnullable(CheckinRow original, Presence presence, DateTimeOffset now)
    {
        if (!original.IsAdmittedEntry)
        {
            throw DomainException.Conflict("not_annullable", "Only an allowed entry can be annulled.");
        }

        if (now - original.At > AnnulWindow)
        {
            throw DomainException.Conflict("not_annullable", "Entries can be annulled for 15 minutes only.");
        }

        if (original.PresenceSeq != presence.LastSeq)
        {
            throw DomainException.Conflict("not_annullable", "The wristband was scanned again since (or the entry was already annulled).");
        }
    }

    private async Task ReloadAsync() => _state = new AccessState(await loader.LoadAsync(_eventId, _nfcId), time.Now());

    private ICapacityShardGrain ShardOf(Guid seriesId, int shard) => GrainFactory.Reference<ICapacityShardGrain>(CapacityShards.Key(seriesId, shard));

    private CheckinRow ToRow(EventRules rules, ScanCommand scan, Outcome outcome, Guid id, DateTimeOffset now)
    {
        var d = outcome.Decision;
        var allowed = d.Allowed;
        return new CheckinRow(
            id, rules.OrganizationId, _eventId, d.Series?.Id, _state.Wristband?.Id, _nfcId, _state.Wristband?.Category, scan.GateId,
            scan.Direction, allowed ? CheckinResult.Allowed : CheckinResult.Denied, d.Reason, d.Detail, d.Message, scan.ScanId, scan.ScannedAt,
            now, scan.Caller.UserId, allowed ? _state.PresenceIn(d.Series!.Id).LastSeq + 1 : null, allowed ? outcome.OccupancyDelta : 0,
            allowed ? outcome.Shard : null, null);
    }

    /// <summary>A place to give back to a shard: a logged exit's or annulment's (<paramref name="Logged"/>), or an unlogged entry's reservation.</summary>
    private sealed record PlaceToGiveBack(Guid SeriesId, int Shard, Guid CheckinId, bool Logged);

    /// <summary>A decision with the capacity shard that counted it and its effect on occupancy.</summary>
    private sealed record Outcome(ScanDecision Decision, int? Shard, int OccupancyDelta);
}
