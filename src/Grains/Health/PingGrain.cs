using EventSeries.Health;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace EventSeries.Grains.Health;

/// <summary>Answers readiness probes from whichever silo is local to the caller.</summary>
[GrainType("ping"), StatelessWorker]
public sealed class PingGrain(ILocalSiloDetails silo) : Grain, IPingGrain
{
    public Task<string> PingAsync() => Task.FromResult(silo.Name);
}
