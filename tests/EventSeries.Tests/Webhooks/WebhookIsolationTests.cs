using System.Net;
using EventSeries.Api.Contracts;
using EventSeries.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Webhooks;

/// <summary>A receiver that never answers delays only its own subscription; and finished deliveries are cleaned up after the retention period.</summary>
[Trait("Category", "Postgres")]
public sealed class WebhookIsolationTests(PostgresServer postgres)
{
    [Fact]
    public async Task ADeadReceiver_SlowsNeitherScansNorAnotherSubscription()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        await using var healthy = await WebhookReceiver.StartAsync();
        var dead = await world.SubscribeAsync("checkin.created");
        world.Receiver.Answer = _ => WebhookReceiver.Hang;
        var issued = await world.Client.PostOkAsync<IssuedWebhookSubscription>(world.Base, new { url = healthy.Url(), eventTypes = new[] { "checkin.created" } });
        healthy.UseSecret(issued.SigningSecret);
        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow(), general: 8);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var band in gates.Wristbands)
        {
            Assert.True((await gates.ScanAsync(band.NfcId)).Allowed);
        }

        var scans = watch.Elapsed;
        var arrived = await Eventually.ValueAsync(() => Task.FromResult(healthy.Accepted), r => r.Count >= gates.Wristbands.Length, TimeSpan.FromSeconds(20));

        // Nine scans (each timed out attempt holds its sender up to 1 s) took nowhere near that in all,
        // the healthy receiver got everything, and the dead one holds only its own series' head.
        Assert.True(scans < TimeSpan.FromSeconds(5), $"scans took {scans}");
        Assert.Equal(gates.Wristbands.Length, arrived.Count);
        Assert.Single(world.Receiver.All.Select(r => r.Id).Distinct());
        Assert.Empty(world.Receiver.Accepted);
        Assert.Equal(gates.Wristbands.Length, (await world.DeliveriesAsync(dead.Id)).Count(d => d.Status == "pending"));
    }

    [Fact]
    public async Task TheBacklog_CountsEveryDeliveryStillWaiting_ForTheBacklogGauge()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var subscription = await world.SubscribeAsync("series.transitioned");
        world.Receiver.Answer = _ => 503;
        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());
        var dispatcher = world.Host.App.Services.GetRequiredService<WebhookDispatcher>();
        var waiting = await Db.CountAsync(world.Host.ConnectionString, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'");
        Assert.True(waiting >= 2, $"{waiting} deliveries waiting");

        Assert.Equal(waiting, await dispatcher.CountBacklogAsync());
        Assert.Equal(waiting, dispatcher.Backlog);

        // The gauge reports a count (the latest of any silo in this process: tests run several).
        long? observed = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "eventseries.webhooks.backlog")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.NotNull(observed);
    }

    [Fact]
    public async Task FinishedDeliveries_AreDeletedAfterTheRetentionPeriod_PendingOnesStay()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var subscription = await world.SubscribeAsync("series.transitioned");
        world.Receiver.Answer = r => r.Data.GetProperty("to").GetString() == "scheduled" ? 200 : 500;
        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());
        await world.AcceptedAsync(1);
        var dispatcher = world.Host.App.Services.GetRequiredService<WebhookDispatcher>();
        var before = await Eventually.ValueAsync(() => world.DeliveriesAsync(subscription.Id), d => d.Any(x => x.Status == "delivered"));
        var delivered = Assert.Single(before, d => d.Status != "pending");
        var pending = Assert.Single(before, d => d.Status == "pending");

        // Paused by hand, so the week the clock moves below cannot give the pending one up (after
        // 3 days of retries) while the test looks: it stays pending, as a paused queue does.
        Assert.Equal(HttpStatusCode.OK, (await world.Client.SendAsync(HttpMethod.Patch, $"{world.Base}/{subscription.Id}", new { status = "paused" })).StatusCode);

        world.Host.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await dispatcher.DeleteExpiredAsync(TestContext.Current.CancellationToken));
        world.Host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await dispatcher.DeleteExpiredAsync(TestContext.Current.CancellationToken));

        // Moving the clock a week also moves the series on (the lifecycle sweep), whose new
        // transitions queue deliveries of their own: only the two from before are looked at.
        var after = await world.DeliveriesAsync(subscription.Id);
        Assert.DoesNotContain(after, d => d.Id == delivered.Id);
        Assert.Equal("pending", Assert.Single(after, d => d.Id == pending.Id).Status);
        Assert.Equal(0, await Db.CountAsync(world.Host.ConnectionString,
            "SELECT count(*) FROM webhook_attempts a LEFT JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.id IS NULL"));
        Assert.Equal(HttpStatusCode.OK, (await world.Client.GetAsync($"{world.Base}/{subscription.Id}")).StatusCode);
    }
}
