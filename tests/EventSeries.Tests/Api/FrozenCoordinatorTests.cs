using System.Diagnostics;
using EventSeries.CheckIns;
using EventSeries.Wristbands;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Api;

/// <summary>
/// Issue 15: a series' capacity coordinator on a frozen silo held up every scan at a full series
/// until membership voted the silo dead (about 3 s): entries whose shard had to borrow waited for
/// the coordinator, then for a fallback shard that borrowed too, and answered 503; exits waited for
/// their shard to hand the freed place to the coordinator. A shard now waits for the coordinator
/// only <c>Capacity:CoordinatorAnswerWait</c>; the scans are answered with their verdicts meanwhile.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class FrozenCoordinatorTests(PostgresServer postgres)
{
    [Fact]
    public async Task AFrozenCoordinator_AtAFullSeries_HoldsUpNoEntryAndNoExit_AndLosesNoPlace()
    {
        var freeze = new HeldGrainCalls();
        await using var host = await ApiHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            services: s => s.AddSingleton<IIncomingGrainCallFilter>(freeze),
            settings: new Dictionary<string, string?>
            {
                // Far above the scan deadline (2.5 s): a scan that waited for the coordinator shows as a 503.
                ["Capacity:ShardAnswerWait"] = "00:00:05",
                ["Capacity:CoordinatorAnswerWait"] = "00:00:00.300",
            });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 60, vip: 0, capacity: 2);

        // Capacity 2 over 8 shards: shards 0 and 1 hold one place each. Fill both, then let an entry
        // find the series full, so every shard knows someone waits for a place.
        var inside0 = BandOfShard(g, 0, 0);
        var inside1 = BandOfShard(g, 1, 0);
        Assert.True((await g.ScanAsync(inside0.NfcId)).Allowed);
        Assert.True((await g.ScanAsync(inside1.NfcId)).Allowed);
        Assert.Equal(ScanReasons.CapacityReached, (await g.ScanAsync(BandOfShard(g, 2, 0).NfcId)).Reason);

        var coordinator = g.Series.Id.ToString("N");
        freeze.Holds = call => call.InterfaceMethod?.DeclaringType == typeof(ISeriesCapacityGrain) && call.TargetId.Key.ToString() == coordinator;
        var started = Stopwatch.StartNew();
        var refused = await g.ScanAsync(BandOfShard(g, 4, 0).NfcId); // shards 4 and 5 hold nothing: a borrow
        var refusedAfter = started.Elapsed;
        started.Restart();
        var exit = await g.ScanAsync(inside0.NfcId, direction: "out"); // its place goes back to the coordinator
        var exitAfter = started.Elapsed;

        Assert.True(freeze.Held > 0, "no call reached the frozen coordinator");
        Assert.Equal(ScanReasons.CapacityReached, refused.Reason);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(2), $"the refused entry was answered after {refusedAfter}");
        Assert.True(exit.Allowed, exit.Reason);
        Assert.True(exitAfter < TimeSpan.FromSeconds(2), $"the exit was answered after {exitAfter}");

        // Thawed, the coordinator gets the freed place, and the series fills to its capacity again.
        freeze.Thaw();
        var occupancy = await Eventually.ValueAsync(
            async () =>
            {
                foreach (var w in g.Wristbands.Where(w => w.Id != inside0.Id && w.Id != inside1.Id).Take(10))
                {
                    await g.ScanAsync(w.NfcId);
                }

                return await Db.CountAsync(host.ConnectionString, "SELECT coalesce(sum(occupancy_delta), 0) FROM checkin_logs WHERE series_id = @s", ("s", g.Series.Id));
            },
            inside => inside >= 2,
            TimeSpan.FromSeconds(20));
        Assert.Equal(2, occupancy);
        var ledger = await client.GetOkAsync<LedgerView>($"/api/series/{g.Series.Id}/capacity");
        Assert.Equal(2, ledger.Pool + ledger.Shards.Sum(s => s.Lease));
    }

    private static WristbandView BandOfShard(GateScenario g, int shard, int nth) =>
        g.Wristbands.Where(w => CapacityShards.Of(w.Id) == shard).ElementAt(nth);

    private sealed record LedgerView(int? Capacity, int Pool, IReadOnlyList<ShardView> Shards, int InsideLogged);

    private sealed record ShardView(int Shard, int Lease, int? Budget, int? Inside);
}
