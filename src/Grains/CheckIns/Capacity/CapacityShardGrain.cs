using EventSeries.CheckIns;
using EventSeries.Persistence.CheckIns;
using Orleans.Runtime;

namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// One shard of a series' capacity: how many of its wristbands are inside (rebuilt from the log on
/// activation) against the places it holds. When it runs out it borrows from the coordinator, which
/// takes unused places from sibling shards, so the whole series admits exactly its capacity. A shard
/// that was asked for places while the series was full hands back the next place it frees.
/// </summary>
/// <remarks>
/// The shard never calls the coordinator while activating: the coordinator may be the one
/// activating it (through <see cref="SurrenderAsync"/>), and both would wait for each other.
/// </remarks>
[GrainType("capacity-shard")]
public sealed class CapacityShardGrain(CapacityStore store) : Grain, ICapacityShardGrain
{
    private Guid _seriesId;
    private int _shard;
    private int _inside;
    private int? _budget;
    private bool _seriesFull;
    private HashSet<Guid> _countedReleases = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _seriesId = Guid.ParseExact(key[..32], "N");
        _shard = int.Parse(key[33..], System.Globalization.CultureInfo.InvariantCulture);
        var (inside, counted) = await store.LoadShardAsync(_seriesId, _shard);
        _inside = Math.Max(0, inside);
        _countedReleases = counted;
    }

    public async Task<bool> ReserveAsync()
    {
        // SurrenderAsync may run during any await here and change _budget, so every awaited value
        // is applied after the await, never as "_budget += await ...", which would read it before.
        if (_budget is null)
        {
            var initial = await Coordinator.GetBudgetAsync(_shard);
            _budget ??= initial;
        }

        if (_inside >= _budget)
        {
            var borrowed = await Coordinator.BorrowAsync(_shard, Math.Max(1, _budget.Value / 4));
            _budget += borrowed;
            if (_inside >= _budget)
            {
                return false;
            }
        }

        _inside++;
        return true;
    }

    public async Task ReleaseAsync(Guid? checkinId)
    {
        if (checkinId is { } id && _countedReleases.Remove(id))
        {
            // This shard activated after the row committed: the log count already freed the place.
            return;
        }

        _inside = Math.Max(0, _inside - 1);
        if (_seriesFull && _budget > _inside)
        {
            // Someone elsewhere is waiting for a place: give it to the coordinator now.
            _seriesFull = false;
            _budget--;
            await Coordinator.ReturnAsync(_shard, 1);
        }
    }

    public Task<int> SurrenderAsync(int max, int budget, bool evenIfInUse)
    {
        // Runs interleaved with a pending ReserveAsync or ReleaseAsync; it only touches memory, with no await.
        _budget ??= budget;
        var spare = Math.Clamp(evenIfInUse ? _budget.Value : _budget.Value - _inside, 0, max);
        _budget -= spare;
        _seriesFull |= spare < max;
        return Task.FromResult(spare);
    }

    public Task<(int Inside, int Budget)> GetCountsAsync() => Task.FromResult((_inside, _budget ?? 0));

    private ISeriesCapacityGrain Coordinator => GrainFactory.GetGrain<ISeriesCapacityGrain>(_seriesId);
}
