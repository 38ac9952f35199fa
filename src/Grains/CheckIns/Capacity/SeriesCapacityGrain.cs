using EventSeries.CheckIns;
using EventSeries.Grains.CheckIns.Rules;
using Orleans.Runtime;

namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// Distributes a series' capacity over its shards and moves unused places to a shard that runs
/// out. Budgets are kept in grain storage, so a coordinator that moves to another silo hands out
/// exactly what was left; the budgets plus the pool always add up to the capacity.
/// </summary>
[GrainType("series-capacity")]
public sealed class SeriesCapacityGrain(
    [PersistentState("series-capacity", StorageNames.Main)] IPersistentState<SeriesCapacityState> state,
    EventRulesCache rules)
    : Grain, ISeriesCapacityGrain
{
    // Set when a borrow found no place in the pool or any shard; cleared when a place comes back.
    private bool _full;

    public async Task<int> GetBudgetAsync(int shard)
    {
        await SyncCapacityAsync(shard);
        return state.State.Budgets[shard];
    }

    public async Task<int> BorrowAsync(int shard, int want)
    {
        await SyncCapacityAsync(shard);
        var s = state.State;
        if (s.Pool <= 0 && _full)
        {
            // Every shard was asked since the last place came back: no need to ask them again.
            return 0;
        }

        var granted = Math.Min(want, Math.Max(0, s.Pool));
        s.Pool -= granted;
        granted += await ReclaimAsync(want - granted, shard, evenIfInUse: false);
        _full = granted == 0;
        if (granted > 0)
        {
            s.Budgets[shard] += granted;
            await state.WriteStateAsync();
        }

        return granted;
    }

    public async Task ReturnAsync(int shard, int count)
    {
        state.State.Budgets[shard] -= count;
        state.State.Pool += count;
        _full = false;
        await state.WriteStateAsync();
    }

    /// <summary>Takes up to <paramref name="wanted"/> unused places back from the shards other than <paramref name="except"/>.</summary>
    private async Task<int> ReclaimAsync(int wanted, int except, bool evenIfInUse)
    {
        var reclaimed = 0;
        for (var other = 0; other < CapacityShards.Count && reclaimed < wanted; other++)
        {
            if (other == except)
            {
                continue;
            }

            var shard = GrainFactory.Reference<ICapacityShardGrain>(CapacityShards.Key(this.GetPrimaryKey(), other));
            var spare = await shard.SurrenderAsync(wanted - reclaimed, state.State.Budgets[other], evenIfInUse);
            state.State.Budgets[other] -= spare;
            reclaimed += spare;
        }

        return reclaimed;
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
            await state.WriteStateAsync();
        }
        else if (s.Capacity != capacity)
        {
            s.Pool += capacity - (s.Capacity ?? 0);
            s.Capacity = capacity;
            _full = false;
            if (s.Pool < 0)
            {
                // A lower capacity: take unused places back first, then places in use, so shards
                // admit nobody until enough people have left.
                s.Pool += await ReclaimAsync(-s.Pool, caller, evenIfInUse: false);
                s.Pool += await ReclaimAsync(-s.Pool, caller, evenIfInUse: true);
            }

            await state.WriteStateAsync();
        }
    }
}
