using System.Net;
using EventSeries.CheckIns;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Api;

/// <summary>
/// Faults after a scan's row committed must not change its answer: the row is the truth, so the
/// scanner gets that verdict (issue 15: admitted scans were answered 500 when giving a capacity
/// place back failed after the exit was logged).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class CheckInFaultTests(PostgresServer postgres)
{
    [Fact]
    public async Task AnExitWhoseCapacityPlaceCannotBeGivenBack_IsStillAnsweredWithItsLoggedVerdict()
    {
        var faults = new ShardReleaseFault();
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), services: s => s.AddSingleton<IIncomingGrainCallFilter>(faults));
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), capacity: 10);
        var nfcId = g.Wristbands[0].NfcId;
        Assert.True((await g.ScanAsync(nfcId)).Allowed);

        faults.Failing = true;
        var response = await client.PostAsync($"/api/events/{g.Event.Id}/scans", new { nfcId, gateId = g.Main.Id, direction = "out", scanId = Guid.NewGuid() });

        var exit = await ApiClient.ReadAsync<ScanVerdict>(response, HttpStatusCode.OK);
        Assert.True(exit.Allowed);
        Assert.True(faults.Refused > 0);
        Assert.Equal(1, await Db.CountAsync(host.ConnectionString,
            "SELECT count(*) FROM checkin_logs WHERE id = @id AND direction = 'out' AND result = 'allowed'", ("id", exit.CheckinId)));
    }

    /// <summary>Makes capacity shards refuse to give places back while <see cref="Failing"/> is set.</summary>
    private sealed class ShardReleaseFault : IIncomingGrainCallFilter
    {
        public volatile bool Failing;

        public int Refused;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (Failing && context.InterfaceMethod?.DeclaringType == typeof(ICapacityShardGrain) && context.InterfaceMethod.Name == nameof(ICapacityShardGrain.ReleaseAsync))
            {
                Interlocked.Increment(ref Refused);
                throw new InvalidOperationException("Injected fault: the capacity shard is unreachable.");
            }

            return context.Invoke();
        }
    }
}
