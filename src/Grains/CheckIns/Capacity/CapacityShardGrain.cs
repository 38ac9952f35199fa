using EventSeries.CheckIns;
using EventSeries.Persistence.CheckIns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// One shard of a series' capacity: how many of its wristbands are inside (rebuilt from the log on
/// activation) against the places its lease holds. When it runs out it borrows from the
/// coordinator, which takes unused places from sibling shards, so the whole series admits exactly
/// its capacity. A shard that was asked for places while the series was full hands back the next
/// place it frees.
/// </summary>
/// <remarks>
/// <para>Places are conserved through faults by two rules. The shard's budget changes only to a
/// lease the coordinator issued (newer than the one held) or downwards on its own, so it never holds
/// more than the coordinator counts as its. And an entry's place is a reservation until its row is
/// in the log: a reservation whose row is not there after <see cref="CapacityOptions.ReservationTimeout"/>
/// (its silo died or froze before writing) is taken back, and counted again should the row still appear.</para>
/// <para>A shard counts the log when it activates and again every <see cref="CapacityOptions.RecountPeriod"/>
/// while its count moves, so an exit logged by a silo that died before telling it still frees its
/// place. A count cannot see rows still being written for reservations of an activation that ended
/// by a fault, so after such an end (<see cref="CapacityShardState.Settled"/> false) the shard holds
/// its first lease's unused places as possibly taken until reservations have timed out, then counts again.</para>
/// <para>The shard is reentrant: while it waits for the coordinator (a borrow, a return) it goes
/// on taking and freeing places, so a coordinator on a frozen or dead silo holds up only the entries
/// that need a borrow, never exits or entries it has places for; and those at most
/// <see cref="CapacityOptions.CoordinatorAnswerWait"/>, after which they hear
/// <see cref="PlaceAnswer.CoordinatorSilent"/> and may take a place another shard holds. Every
/// change to its counts is made between awaits and every decision is checked again after one; a
/// place on its way back to the coordinator counts as used until the return answers.</para>
/// <para>The shard never calls the coordinator while activating: the coordinator may be the one
/// activating it (through <see cref="SurrenderAsync"/>), and both would wait for each other.</para>
/// </remarks>
[GrainType("capacity-shard"), Reentrant]
public sealed partial class CapacityShardGrain(
    [PersistentState("capacity-shard", StorageNames.Main)] IPersistentState<CapacityShardState> state,
    CapacityStore store, IOptions<CapacityOptions> options, ILogger<CapacityShardGrain> logger)
    : Grain, ICapacityShardGrain
{
    private readonly CapacityOptions _options = options.Value;

    /// <summary>
    /// Reservations age on the real clock, not the domain's: a domain clock moved forward (tests,
    /// an operator's correction) must not make a write still in flight look abandoned.
    /// </summary>
    private readonly TimeProvider _clock = TimeProvider.System;

    /// <summary>Entries counted in <see cref="_inside"/> whose row the shard has not yet seen, by row id: when reserved.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _reserved = [];

    // Cancellations that arrived before their reservation (a wristband that gave up waiting on this
    // shard and took its place elsewhere): the reservation, if it still comes, is refused.
    private readonly Dictionary<Guid, DateTimeOffset> _cancelledFirst = [];

    /// <summary>Reservations taken back for want of a row, watched a while for a row written late: when taken back.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _takenBack = [];

    /// <summary>Far more releases than can be in flight or resent at once.</summary>
    private const int RememberedReleases = 10_000;

    private Guid _seriesId;
    private int _shard;
    private int _inside;
    private CapacityLease? _lease;
    private bool _seriesFull;

    /// <summary>
    /// Exits and annulments this shard has counted (the latest from the log when it activated, then
    /// every release it took), oldest first, so a release sent again, or one whose row the log count
    /// already included, frees its place once.
    /// </summary>
    private readonly HashSet<Guid> _released = [];
    private readonly Queue<Guid> _releasedInOrder = new();

    /// <summary>The previous activation ended by a fault: the first lease's unused places are held back when it comes.</summary>
    private bool _holdOnFirstLease;

    /// <summary>Places held as possibly taken by rows of the previous activation still being written, until <see cref="_holdUntil"/>.</summary>
    private int _heldBack;
    private DateTimeOffset _holdUntil;

    /// <summary>Whether the count moved since the log was last counted, and when that was.</summary>
    private bool _moved;
    private DateTimeOffset _countedAt;

    /// <summary>The borrow under way, which every entry that finds no place waits for, when it began, and how many wait.</summary>
    private Task? _borrowing;
    private DateTimeOffset _borrowingSince;
    private int _waitingToBorrow;

    /// <summary>The first lease being asked for, and since when.</summary>
    private Task? _leasing;
    private DateTimeOffset _leasingSince;

    /// <summary>Borrows one entry waits for before it is refused, when others took what each brought.</summary>
    private const int MaxBorrowsPerEntry = 3;

    private int Budget => _lease?.Budget ?? 0;

    /// <summary>A freed place on its way back to the coordinator: not this shard's to give while the return is under way.</summary>
    private int _returning;

    /// <summary>Places not free to lend: wristbands inside (reservations included), places held back and places being returned.</summary>
    private int Used => _inside + _heldBack + _returning;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _seriesId = Guid.ParseExact(key[..32], "N");
        _shard = int.Parse(key[33..], System.Globalization.CultureInfo.InvariantCulture);
        _holdOnFirstLease = state.RecordExists && !state.State.Settled;
        state.State.Settled = false;
        await state.WriteStateAsync();
        await CountAsync();

        // Interleaved: the check awaits a query, and scans must not queue behind it.
        this.RegisterGrainTimer(CheckReservationsAsync, new GrainTimerCreationOptions(_options.CheckPeriod, _options.CheckPeriod) { Interleave = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Settled when no reservation can still turn into a row this shard has not counted.
        try
        {
            var open = _reserved.Keys.ToList();
            if (_heldBack == 0 && (open.Count == 0 || (await store.FindLoggedAsync(open)).Count == open.Count))
            {
                state.State.Settled = true;
                await state.WriteStateAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unsettled is the safe side: the next activation holds its unused places back a while.
            LogSettleFailed(logger, e, _shard, _seriesId);
        }
    }

    public async Task<PlaceAnswer> ReserveAsync(Guid entryId, bool mayBorrow)
    {
        if (_cancelledFirst.Remove(entryId))
        {
            return PlaceAnswer.Full; // its wristband gave up on this shard already
        }

        // Other calls run during any await here (the grain is reentrant) and may adopt a newer
        // lease or take places; a lease is only ever taken whole (Adopt), never added to, and the
        // place is checked again after every await, so an await cannot lose what it changed.
        if (_lease is null && !await FirstLeaseInTimeAsync())
        {
            return PlaceAnswer.CoordinatorSilent;
        }

        for (var borrows = 0; Used >= Budget; borrows++)
        {
            var before = Budget;
            if (!mayBorrow || borrows == MaxBorrowsPerEntry)
            {
                return PlaceAnswer.Full;
            }

            if (!await BorrowInTimeAsync())
            {
                return PlaceAnswer.CoordinatorSilent;
            }

            if (Budget <= before && Used >= Budget)
            {
                return PlaceAnswer.Full; // the borrow found nothing
            }
        }

        if (_cancelledFirst.Remove(entryId))
        {
            return PlaceAnswer.Full; // cancelled while this call waited for a borrow
        }

        _inside++;
        _moved = true;
        _reserved[entryId] = _clock.GetUtcNow();
        return PlaceAnswer.Taken;
    }

    public async Task CancelAsync(Guid entryId)
    {
        // Not reserved here: taken back already, or reserved before this activation (whose count,
        // from the log, never included it).
        if (_reserved.Remove(entryId))
        {
            _inside = Math.Max(0, _inside - 1);
            _moved = true;
            await FreePlaceInTimeAsync();
        }
        else
        {
            ForgetOldCancellations();
            _cancelledFirst[entryId] = _clock.GetUtcNow();
        }
    }

    public async Task ReleaseAsync(Guid checkinId)
    {
        if (!RememberRelease(checkinId))
        {
            // Counted already: sent again after a lost answer, or this shard activated after the
            // row committed and the log count freed the place.
            return;
        }

        _inside = Math.Max(0, _inside - 1);
        _moved = true;
        await FreePlaceInTimeAsync();
    }

    public Task<int> SurrenderAsync(CapacityLease lease, int max, bool evenIfInUse)
    {
        // Runs interleaved with a pending ReserveAsync or ReleaseAsync; it only touches memory, with no await.
        if (!lease.IsNewerThan(_lease))
        {
            return Task.FromResult(0); // an older coordinator's message: it holds no authority now
        }

        HoldBackIfFirst(lease);
        var spare = Math.Clamp(evenIfInUse ? lease.Budget : lease.Budget - Used, 0, max);
        _lease = lease with { Budget = lease.Budget - spare };
        _seriesFull |= spare < max;
        return Task.FromResult(spare);
    }

    public Task<ShardCounts> AdoptAsync(CapacityLease lease)
    {
        Adopt(lease);
        return GetCountsAsync();
    }

    public Task<ShardCounts> GetCountsAsync() => Task.FromResult(new ShardCounts(_shard, _inside, Budget, _reserved.Count, _heldBack));

    private bool RememberRelease(Guid checkinId)
    {
        if (!_released.Add(checkinId))
        {
            return false;
        }

        _releasedInOrder.Enqueue(checkinId);
        if (_releasedInOrder.Count > RememberedReleases)
        {
            _released.Remove(_releasedInOrder.Dequeue());
        }

        return true;
    }

    private void Adopt(CapacityLease lease)
    {
        if (lease.IsNewerThan(_lease))
        {
            HoldBackIfFirst(lease);
            _lease = lease;
        }
    }

    /// <summary>
    /// One borrow at a time per shard: entries that find no place wait for the one under way, at
    /// most <see cref="CapacityOptions.CoordinatorAnswerWait"/> from its start, so a coordinator that
    /// does not answer costs that wait once, not once per entry, and everything that needs no borrow
    /// (exits, entries with a place here) goes on meanwhile. False when the coordinator did not
    /// answer in time; the borrow goes on, and what it brings serves the next entry.
    /// </summary>
    private async Task<bool> BorrowInTimeAsync()
    {
        if (_borrowing is null)
        {
            _borrowingSince = _clock.GetUtcNow();
            _borrowing = BorrowOnceAsync();
        }

        _waitingToBorrow++;
        try
        {
            return await CoordinatorAnsweredInTimeAsync(_borrowing, _borrowingSince);
        }
        finally
        {
            _waitingToBorrow--;
        }
    }

    /// <summary>The lease this activation starts from, asked once; false when the coordinator did not answer in time.</summary>
    private Task<bool> FirstLeaseInTimeAsync()
    {
        if (_leasing is null)
        {
            _leasingSince = _clock.GetUtcNow();
            _leasing = LeaseOnceAsync();
        }

        return CoordinatorAnsweredInTimeAsync(_leasing, _leasingSince);
    }

    private async Task LeaseOnceAsync()
    {
        try
        {
            await Task.Yield(); // so the finally below can never run before _leasing is assigned
            Adopt(await Coordinator.GetLeaseAsync(_shard));
        }
        finally
        {
            _leasing = null;
        }
    }

    /// <summary>
    /// Waits for a call to the coordinator begun at <paramref name="since"/> until
    /// <see cref="CapacityOptions.CoordinatorAnswerWait"/> after that. A call that timed out in
    /// Orleans counts as silent too; any other failure is the caller's (a 503 for the scanner).
    /// </summary>
    private async Task<bool> CoordinatorAnsweredInTimeAsync(Task call, DateTimeOffset since)
    {
        var left = since + _options.CoordinatorAnswerWait - _clock.GetUtcNow();
        try
        {
            await call.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _clock);
            return true;
        }
        catch (TimeoutException)
        {
            ObserveLater(call);
            return false;
        }
    }

    /// <summary>A call nobody waits for any more may still fail: its failure is observed, not left to the finalizer.</summary>
    private static void ObserveLater(Task call) =>
        _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// Frees a place for an exit or a cancelled entry, waiting for the coordinator (when the place
    /// goes back to it) at most <see cref="CapacityOptions.CoordinatorAnswerWait"/>: the place counts
    /// as used until the return answers, so answering the caller earlier changes no count.
    /// </summary>
    private async Task FreePlaceInTimeAsync()
    {
        var freeing = FreePlaceAsync();
        try
        {
            await freeing.WaitAsync(_options.CoordinatorAnswerWait, _clock);
        }
        catch (TimeoutException)
        {
            ObserveLater(freeing);
        }
    }

    private async Task BorrowOnceAsync()
    {
        try
        {
            await Task.Yield(); // let entries arriving in this turn join before the want is counted
            Adopt(await Coordinator.BorrowAsync(_shard, Math.Max(Math.Max(1, Budget / 4), _waitingToBorrow)));
        }
        finally
        {
            _borrowing = null;
        }
    }

    /// <summary>
    /// After an unsettled end, the first lease's unused places may be taken by rows the previous
    /// activation reserved and live silos are still writing: hold them until reservations time out.
    /// </summary>
    private void HoldBackIfFirst(CapacityLease lease)
    {
        if (!_holdOnFirstLease)
        {
            return;
        }

        _holdOnFirstLease = false;
        _heldBack = Math.Max(0, lease.Budget - _inside);
        _holdUntil = _clock.GetUtcNow() + _options.ReservationTimeout;
        LogHoldingBack(logger, _heldBack, _shard, _seriesId, _options.ReservationTimeout);
    }

    /// <summary>
    /// Counts the log in one snapshot: inside is the sum of this shard's rows plus its reservations
    /// whose rows are not in it. Reservations taken while the query ran are counted as open even if
    /// their rows made the snapshot, and a release that came meanwhile for a row the snapshot missed
    /// is lost; both only count too many, never too few, and the next count puts them right.
    /// </summary>
    private async Task CountAsync()
    {
        var count = await store.CountShardAsync(_seriesId, _shard, [.. _reserved.Keys, .. _takenBack.Keys]);
        foreach (var id in count.CountedReleases)
        {
            RememberRelease(id);
        }

        foreach (var id in count.Logged)
        {
            _reserved.Remove(id);
            _takenBack.Remove(id);
        }

        _inside = Math.Max(0, count.Inside) + _reserved.Count;
        _moved = false;
        _countedAt = _clock.GetUtcNow();
    }

    /// <summary>A place came free: if someone elsewhere is waiting for one, give it to the coordinator now.</summary>
    private async Task FreePlaceAsync()
    {
        if (!_seriesFull || Budget <= Used || _lease is not { } held)
        {
            return;
        }

        _seriesFull = false;
        _returning++;
        try
        {
            Adopt(await Coordinator.ReturnAsync(_shard, 1, held.Version));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The coordinator may or may not have taken it: hold one place less either way, which
            // never admits more than it counts as ours; its next lease puts us right.
            if (_lease == held)
            {
                _lease = held with { Budget = held.Budget - 1 };
            }

            LogReturnFailed(logger, e, _shard, _seriesId);
        }
        finally
        {
            // Only now: entries arriving during the return must not take the place being returned.
            _returning--;
        }
    }

    /// <summary>A reservation overtaken by its cancellation arrives within moments, or not at all: those older than the reservation timeout are forgotten.</summary>
    private void ForgetOldCancellations()
    {
        var now = _clock.GetUtcNow();
        foreach (var (id, _) in _cancelledFirst.Where(c => now - c.Value > _options.ReservationTimeout).ToList())
        {
            _cancelledFirst.Remove(id);
        }
    }

    /// <summary>
    /// Settles reservations older than the timeout against the log: a row there confirms the place,
    /// no row gives it back. Places given back are watched for a row written late, which is counted again.
    /// </summary>
    private async Task CheckReservationsAsync(CancellationToken cancellationToken)
    {
        await CountAgainIfDueAsync();
        var now = _clock.GetUtcNow();
        foreach (var (id, _) in _takenBack.Where(t => now - t.Value > _options.LateRowWatch).ToList())
        {
            _takenBack.Remove(id);
        }

        var due = _reserved.Where(r => now - r.Value >= _options.ReservationTimeout).Select(r => r.Key).ToList();
        var watched = _takenBack.Keys.ToList();
        if (due.Count == 0 && watched.Count == 0)
        {
            return;
        }

        var logged = await store.FindLoggedAsync([.. due, .. watched]);
        var takenBack = 0;
        foreach (var id in due.Where(id => !logged.Contains(id) && _reserved.ContainsKey(id)))
        {
            _inside = Math.Max(0, _inside - 1);
            _takenBack[id] = now;
            takenBack++;
        }

        foreach (var id in due)
        {
            _reserved.Remove(id);
        }

        var late = watched.Count(id => logged.Contains(id) && _takenBack.Remove(id));
        _inside += late;
        if (takenBack > 0 || late > 0)
        {
            LogReservationsSettled(logger, takenBack, late, _shard, _seriesId);
        }

        if (takenBack > 0)
        {
            await FreePlaceAsync();
        }

        if (late > 0 && _inside > Budget)
        {
            await CoverLateRowsAsync();
        }
    }

    /// <summary>
    /// Counts the log again when a hold is over, or every <see cref="CapacityOptions.RecountPeriod"/>
    /// while the count moved or the series is full; frees what the count found free.
    /// </summary>
    private async Task CountAgainIfDueAsync()
    {
        var now = _clock.GetUtcNow();
        var holdOver = _heldBack > 0 && now >= _holdUntil;
        if (!holdOver && !((_moved || _seriesFull) && now - _countedAt >= _options.RecountPeriod))
        {
            return;
        }

        var before = Used;
        await CountAsync();
        if (holdOver)
        {
            _heldBack = 0;
        }

        if (Used < before)
        {
            await FreePlaceAsync();
        }
        else if (_inside > Budget)
        {
            await CoverLateRowsAsync();
        }
    }

    /// <summary>
    /// Rows counted again may leave this shard with more inside than places, while the places it
    /// gave back serve another shard: take unused places back, so the series as a whole admits no
    /// one until it is below capacity again.
    /// </summary>
    private async Task CoverLateRowsAsync()
    {
        try
        {
            Adopt(await Coordinator.BorrowAsync(_shard, _inside - Budget));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLateRowsUncovered(logger, e, _shard, _seriesId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity shard {Shard} of series {SeriesId} could not record that it ended settled; it will hold its unused places back for a while when it activates again.")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, int shard, Guid seriesId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity shard {Shard} of series {SeriesId} activated after an unsettled end: {HeldBack} places are held as possibly taken for {Hold}, then the log is counted again.")]
    private static partial void LogHoldingBack(ILogger logger, int heldBack, int shard, Guid seriesId, TimeSpan hold);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity shard {Shard} of series {SeriesId} could not take places back for rows written late; it tries again when it next borrows.")]
    private static partial void LogLateRowsUncovered(ILogger logger, Exception exception, int shard, Guid seriesId);

    private ISeriesCapacityGrain Coordinator => GrainFactory.GetGrain<ISeriesCapacityGrain>(_seriesId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity shard {Shard} of series {SeriesId} could not give a freed place to the coordinator; it holds one place less until its next lease.")]
    private static partial void LogReturnFailed(ILogger logger, Exception exception, int shard, Guid seriesId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity shard {Shard} of series {SeriesId}: {TakenBack} reserved places had no row in the log and were taken back; {Late} rows written late were counted again.")]
    private static partial void LogReservationsSettled(ILogger logger, int takenBack, int late, int shard, Guid seriesId);
}
