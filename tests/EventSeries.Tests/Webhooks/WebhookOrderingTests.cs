using System.Collections.Concurrent;
using EventSeries.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// At least once and in order per series, even while the receiver fails on purpose and the silo
/// restarts: after de-duplication by webhook-id, every scan arrives exactly once, each series' in
/// the order it was logged, and a series' next delivery never overtakes a failing one.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class WebhookOrderingTests(PostgresServer postgres)
{
    [Fact]
    public async Task FailuresAndASiloRestart_EveryScanArrivesOnce_InOrderPerSeries()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var subscription = await world.SubscribeAsync("checkin.created", "checkin.denied");
        var now = world.Host.Clock.GetUtcNow();
        var first = await GateScenario.CreateAsync(world.Client, now);
        var second = await GateScenario.CreateAsync(world.Client, now);

        // The receiver is down (500) while the scans happen.
        world.Receiver.Answer = _ => 500;
        var expected = new Dictionary<Guid, List<Guid>> { [first.Series.Id] = [], [second.Series.Id] = [] };
        foreach (var direction in new[] { "in", "out", "in", "out", "in" })
        {
            foreach (var gates in new[] { first, second })
            {
                var verdict = await gates.ScanAsync(gates.Wristbands[0].NfcId, direction: direction);
                Assert.True(verdict.Allowed, verdict.Reason);
                expected[gates.Series.Id].Add(verdict.CheckinId);
            }
        }

        // Only each series' head is tried while it fails: nothing overtakes it.
        await Eventually.ValueAsync(() => Task.FromResult(world.Receiver.All.Count), count => count >= 2);
        var heads = world.Receiver.All.Select(r => r.Data.GetProperty("checkinId").GetGuid()).ToHashSet();
        Assert.Equal(new[] { expected[first.Series.Id][0], expected[second.Series.Id][0] }.Order(), heads.Order());

        await world.Host.RestartAsync();

        // Back up, but failing every delivery's first try (and some with a 2xx that is not 200).
        var tries = new ConcurrentDictionary<string, int>();
        world.Receiver.Answer = r => tries.AddOrUpdate(r.Id, 1, (_, n) => n + 1) == 1 ? 503 : (r.Id.GetHashCode() % 2 == 0 ? 200 : 204);
        var accepted = await Eventually.ValueAsync(
            () =>
            {
                // Retries wait on the domain clock: move it instead of waiting.
                world.Host.Clock.Advance(TimeSpan.FromSeconds(30));
                return Task.FromResult(world.Receiver.Accepted);
            },
            r => r.Count >= 10, TimeSpan.FromSeconds(60));

        Assert.All(world.Receiver.All, r => Assert.True(r.Signed));
        Assert.Equal(10, accepted.Count);
        foreach (var (seriesId, checkins) in expected)
        {
            var arrived = accepted.Where(r => r.Data.GetProperty("seriesId").GetGuid() == seriesId).Select(r => r.Data.GetProperty("checkinId").GetGuid());
            Assert.Equal(checkins, arrived);
        }

        // Exactly one delivery per scan, all delivered, each after more than one attempt.
        var deliveries = await world.SettledDeliveriesAsync(subscription.Id, 10);
        Assert.Equal(10, deliveries.Length);
        Assert.All(deliveries, d => Assert.Equal("delivered", d.Status));
        Assert.All(deliveries, d => Assert.True(d.Attempts >= 2, $"delivery {d.Id} had {d.Attempts} attempt(s)"));
        var log = await Db.CountAsync(world.Host.ConnectionString, "SELECT count(*) FROM checkin_logs");
        Assert.Equal(10, log);
    }

    [Fact]
    public async Task TwoSilos_OneSenderPerSubscription_NoDeliverySentTwiceInParallel()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        await using var secondSilo = await ApiHost.StartAsync(world.Host.ConnectionString, world.Host.ClusterId, world.Host.Clock, settings: new Dictionary<string, string?>
        {
            ["EventSeries:Webhooks:PollPeriod"] = "00:00:00.100",
            ["EventSeries:Webhooks:SendPeriod"] = "00:00:00.050",
        });
        await world.Host.WaitForActiveSilosAsync(2);
        var subscription = await world.SubscribeAsync("checkin.created");
        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        // Both silos poll and wake the sender; it has one activation in the cluster.
        foreach (var direction in new[] { "in", "out", "in", "out", "in", "out" })
        {
            await gates.ScanAsync(gates.Wristbands[0].NfcId, direction: direction);
        }

        await world.AcceptedAsync(6);
        await secondSilo.App.Services.GetRequiredService<WebhookDispatcher>().PollAsync(TestContext.Current.CancellationToken);
        await world.Host.App.Services.GetRequiredService<WebhookDispatcher>().PollAsync(TestContext.Current.CancellationToken);

        // Every delivery was sent exactly once (no failures here, so no retry may repeat one).
        Assert.Equal(6, world.Receiver.All.Count);
        Assert.Equal(6, world.Receiver.All.Select(r => r.Id).Distinct().Count());
        Assert.All(await world.SettledDeliveriesAsync(subscription.Id, 6), d => Assert.Equal(1, d.Attempts));
    }
}
