using EventSeries.CheckIns;
using EventSeries.Grains.CheckIns.Rules;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// Distributes a series' capacity over its shards as leases and moves unused places to a shard
/// that runs out. Its records are the authority and always add up: the pool plus every shard's
/// budget equals the capacity.
/// </summary>
/// <remarks>
/// Conservation through faults: a shard never holds more than the coordinator counts as its. The
/// coordinator raises a shard's budget only after the raise is saved (a lease it could not save is
/// undone, never sent), and lowers one only after the shard has given the places up (a surrender
/// that did not answer leaves the shard holding less than counted until its next lease, which never
/// admits too many). Leases carry versions from this activation's epoch, so a shard ignores any
/// message older than the lease it holds, and a coordinator that lost its silo and came back from
/// storage speaks with authority over every lease the old one sent.
/// </remarks>
[GrainType("series-capacity")]
public sealed class SeriesCapacityGrain(
    [PersistentState("series-capacity", StorageNames.Main)] IPersistentState<SeriesCapacityState> state,
    EventRulesCache rules,
    IOptions<CapacityOptions> options)
    : Grain, ISeriesCapacityGrain
{
    private readonly CapacityOptions _options = options.Value;

    // Set when a borrow found no place in the pool and every shard answered it had none to spare;
    // cleared when a place comes back.
    private bool _full;
    private uint _sequence;

    /// <summary>The version of the last lease this activation issued to each shard (0: none yet).</summary>
    private readonly long[] _lastIssued = new long[CapacityShards.Count];

    /// <summary>Until when borrows lend only from the pool, after one found nothing because a shard did not answer.</summary>
    private DateTimeOffset _reclaimPausedUntil;

    /// <summary>Pauses age on the real clock, like the shards' reservations.</summary>
    private readonly TimeProvider _clock = TimeProvider.System;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Epoch++;
        await SaveAsync();
    }

    public async Task<CapacityLease> GetLeaseAsync(int shard)
    {
        await SyncCapacityAsync(shard);
        return LeaseOf(shard);
    }

    public async Task<CapacityLease> BorrowAsync(int shard, int want)
    {
        await SyncCapacityAsync(shard);
        var s = state.State;
        if (s.Pool < want && !_full && _clock.GetUtcNow() >= _reclaimPausedUntil)
        {
            var (reclaimed, everyoneAnswered) = await ReclaimAsync(want - Math.Max(0, s.Pool), shard, evenIfInUse: false);
            s.Pool += reclaimed;
            _full = reclaimed == 0 && s.Pool <= 0 && everyoneAnswered;
            if (reclaimed == 0 && !everyoneAnswered)
            {
                // Asking again would wait for the same silent shard; refusals meanwhile must be quick.
                _reclaimPausedUntil = _clock.GetUtcNow() + _options.EmptyBorrowBackoff;
            }
        }

        var granted = Math.Clamp(s.Pool, 0, want);
        if (granted > 0)
        {
            s.Pool -= granted;
            s.Budgets[shard] += granted;
            try
            {
                await SaveAsync();
            }
            catch
            {
                // Not saved, so not sent: the places stay in the pool.
                s.Budgets[shard] -= granted;
                s.Pool += granted;
                throw;
            }
        }

        return LeaseOf(shard);
    }

    public async Task<CapacityLease> ReturnAsync(int shard, int count, long heldVersion)
    {
        await SyncCapacityAsync(shard);
        if (heldVersion != _lastIssued[shard])
        {
            // A newer lease is on its way to the shard and would raise it back over the place taken
            // here; it keeps the place, and this answer (newer still) brings it up to date. The
            // series is no longer full: the next borrow asks the shards, and gets it from there.
            _full = false;
            _reclaimPausedUntil = default;
            return LeaseOf(shard);
        }

        var back = Math.Clamp(count, 0, Math.Max(0, state.State.Budgets[shard]));
        if (back > 0)
        {
            // Lowered before it is saved: what storage holds (more for this shard) stays on the safe side.
            state.State.Budgets[shard] -= back;
            state.State.Pool += back;
            _full = false;
            _reclaimPausedUntil = default;
            await SaveAsync();
        }

        return LeaseOf(shard);
    }

    public async Task<CapacityLedger> TakeStockAsync()
    {
        await SyncCapacityAsync(caller: -1);
        var asks = Enumerable.Range(0, CapacityShards.Count).Select(i => ShardOf(i).AdoptAsync(LeaseOf(i))).ToArray();
        await WaitForShardsAsync(asks);
        return new CapacityLedger(
            state.State.Capacity ?? 0, state.State.Pool, [.. state.State.Budgets],
            [.. asks.Select(a => a.IsCompletedSuccessfully ? a.Result : null)]);
    }

    private CapacityLease LeaseOf(int shard)
    {
        var lease = new CapacityLease(((long)state.State.Epoch << 32) | ++_sequence, state.State.Budgets[shard]);
        _lastIssued[shard] = lease.Version;
        return lease;
    }

    private ICapacityShardGrain ShardOf(int shard) => GrainFactory.Reference<ICapacityShardGrain>(CapacityShards.Key(this.GetPrimaryKey(), shard));

    /// <summary>
    /// Asks every shard but <paramref name="except"/> at once for up to <paramref name="wanted"/>
    /// places, waiting a bounded time: a shard on a frozen or dead silo must not stall a borrow.
    /// What it answers leaves its budget here; a shard that did not answer keeps its budget here.
    /// </summary>
    private async Task<(int Reclaimed, bool EveryoneAnswered)> ReclaimAsync(int wanted, int except, bool evenIfInUse)
    {
        var others = Enumerable.Range(0, CapacityShards.Count).Where(i => i != except).ToArray();
        var asks = others.Select(i => ShardOf(i).SurrenderAsync(LeaseOf(i), wanted, evenIfInUse)).ToArray();
        await WaitForShardsAsync(asks);
        var reclaimed = 0;
        for (var k = 0; k < others.Length; k++)
        {
            if (asks[k].IsCompletedSuccessfully)
            {
                state.State.Budgets[others[k]] -= asks[k].Result;
                reclaimed += asks[k].Result;
            }
        }

        return (reclaimed, asks.All(a => a.IsCompletedSuccessfully));
    }

    private async Task WaitForShardsAsync(Task[] asks)
    {
        try
        {
            await Task.WhenAll(asks).WaitAsync(_options.SurrenderWait);
        }
        catch (Exception)
        {
            // Shards that failed or did not answer in time are read as such by the caller. A late
            // answer is dropped: its shard holds less than counted here until its next lease.
            foreach (var ask in asks.Where(a => !a.IsCompletedSuccessfully))
            {
                _ = ask.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Splits the capacity on first use; when it changes, moves the difference through the pool.</summary>
    private async Task SyncCapacityAsync(int caller)
    {
        var capacity = (await rules.GetSeriesAsync(this.GetPrimaryKey()))?.Series.Capacity ?? 0;
        var s = state.State;
        if (s.Budgets.Length == 0)
        {
            s.Budgets = [.. Enumerable.Range(0, CapacityShards.Count).Select(i => (capacity / CapacityShards.Count) + (i < capacity % CapacityShards.Count ? 1 : 0))];
            s.Capacity = capacity;
            s.Pool = 0;
            try
            {
                await SaveAsync();
            }
            catch
            {
                s.Budgets = []; // nothing was handed out from a split that was not saved
                s.Capacity = null;
                throw;
            }
        }
        else if (s.Capacity != capacity)
        {
            s.Pool += capacity - (s.Capacity ?? 0);
            s.Capacity = capacity;
            _full = false;
            if (s.Pool < 0)
            {
                // A lower capacity: take unused places back first, then places in use, so shards
                // admit nobody until enough people have left. Places not taken back now (a shard
                // that did not answer) leave the pool below zero, so nothing is lent until they are.
                s.Pool += (await ReclaimAsync(-s.Pool, caller, evenIfInUse: false)).Reclaimed;
                if (s.Pool < 0)
                {
                    s.Pool += (await ReclaimAsync(-s.Pool, caller, evenIfInUse: true)).Reclaimed;
                }
            }

            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation of this coordinator saved since this one read: it is the authority now.
            DeactivateOnIdle();
            throw DomainException.Unavailable("The series' capacity moved to another silo; retry.");
        }
    }
}
