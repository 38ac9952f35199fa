using EventSeries.Grains;
using Orleans.Runtime;

namespace EventSeries.Tests.Grains.Probes;

[GrainType("test-probe-state")]
public sealed class ProbeStateGrain([PersistentState(ProbeStateGrain.StateName, StorageNames.Main)] IPersistentState<ProbeState> state)
    : Grain, IProbeStateGrain
{
    public const string StateName = "test-probe";

    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<int> ReadAsync() => Task.FromResult(state.State.Count);

    public Task ClearAsync() => state.ClearStateAsync();
}
