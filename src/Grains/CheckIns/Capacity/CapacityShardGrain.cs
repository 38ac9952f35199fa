using EventSeries.CheckIns;
using EventSeries.Persistence.CheckIns;
using Orleans.Runtime;

namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>
/// One shard of a series' capacity: how many of its wristbands are inside (rebuilt from the log on
/// activation) against the places it holds. When it runs out it borrows from the coordinator, which
/// may take unused places from sibling shards, so the whole series admits exactly its capacity.
/// </summary>
/// <remarks>
/// The shard never calls the coordinator while activating: the coordinator may be the one
/// activating it (through <see cref="SurrenderAsync"/>), and both would wait for each other.
/// </remarks>
[GrainType("capacity-shard")]
public sealed class CapacityShardGrain(CapacityStore store, DomainTime time) : Grain, ICapacityShardGrain
{
    /// <summary>After the coordinator found no place anywhere, ask again only after this long (or an exit).</summary>
    private static readonly TimeSpan FullBackoff = TimeSpan.FromMilliseconds(100);

    private Guid _seriesId;
    private int _shard;
    private int _inside;
    private int? _budget;
    private DateTimeOffset _fullUntil;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _seriesId = Guid.ParseExact(key[..32], "N");
        _shard = int.Parse(key[33..], System.Globalization.CultureInfo.InvariantCulture);
        _inside = Math.Max(0, await store.CountInsideAsync(_seriesId, _shard));
    }

    public async Task<bool> ReserveAsync()
    {
        _budget ??= await Coordinator.GetBudgetAsync(_shard);
        if (_inside >= _budget)
        {
            if (time.Now() < _fullUntil)
            {
                return false;
            }

            _budget += await Coordinator.BorrowAsync(_shard, Math.Max(1, _budget.Value / 4));
            if (_inside >= _budget)
            {
                _fullUntil = time.Now() + FullBackoff;
                return false;
            }
        }

        _inside++;
        return true;
    }

    public Task ReleaseAsync()
    {
        _inside = Math.Max(0, _inside - 1);
        _fullUntil = default;
        return Task.CompletedTask;
    }

    public Task<int> SurrenderAsync(int max, int budget, bool evenIfInUse)
    {
        // Runs interleaved with a pending ReserveAsync; it only touches memory, with no await.
        _budget ??= budget;
        var spare = Math.Clamp(evenIfInUse ? _budget.Value : _budget.Value - _inside, 0, max);
        _budget -= spare;
        return Task.FromResult(spare);
    }

    public Task<(int Inside, int Budget)> GetCountsAsync() => Task.FromResult((_inside, _budget ?? 0));

    private ISeriesCapacityGrain Coordinator => GrainFactory.GetGrain<ISeriesCapacityGrain>(_seriesId);
}
