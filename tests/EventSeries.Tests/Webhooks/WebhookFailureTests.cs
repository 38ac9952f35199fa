using System.Net;
using EventSeries.Grains.Webhooks;
using EventSeries.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// What a failing receiver gets: retries on the domain clock, a per-attempt timeout, a pause after
/// repeated failure (with the reason visible), resume, replay from a point, and giving up.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class WebhookFailureTests(PostgresServer postgres)
{
    [Fact]
    public async Task RepeatedFailure_PausesWithTheReason_ResumeContinues_ReplayResendsWithTheSameIds()
    {
        await using var world = await WebhookWorld.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["EventSeries:Webhooks:PauseAfterFailures"] = "3",
            ["EventSeries:Webhooks:PauseAfterPeriod"] = "00:00:30",
        });
        var subscription = await world.SubscribeAsync("series.transitioned");
        world.Receiver.Answer = _ => 503;
        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        // Three failures in a row spanning at least 30 s of the domain clock pause it.
        var paused = await Eventually.ValueAsync(
            async () =>
            {
                world.Host.Clock.Advance(TimeSpan.FromSeconds(20));
                return await world.GetAsync(subscription.Id);
            },
            s => s.Status == WebhookSubscriptionStatus.Paused, TimeSpan.FromSeconds(30));
        Assert.Contains("in a row failed", paused.PausedReason);
        Assert.Contains("HTTP 503", paused.PausedReason);
        var deliveries = await world.DeliveriesAsync(subscription.Id);
        Assert.Equal(2, deliveries.Length);
        var attempts = await world.AttemptsAsync(subscription.Id, deliveries[0].Id);
        Assert.True(attempts.Length >= 3);
        Assert.All(attempts, a => Assert.Equal(503, a.StatusCode));
        Assert.Equal(0, deliveries[1].Attempts); // the series' second transition waits behind the first

        // Paused: nothing goes out, whatever the clock says.
        world.Receiver.Answer = _ => 200;
        var seen = world.Receiver.All.Count;
        world.Host.Clock.Advance(TimeSpan.FromHours(2));
        await world.Host.App.Services.GetRequiredService<WebhookDispatcher>().PollAsync(TestContext.Current.CancellationToken);
        Assert.Equal(seen, world.Receiver.All.Count);

        var resumed = await world.Client.PostOkAsync<WebhookSubscriptionView>($"{world.Base}/{subscription.Id}/resume", new { }, HttpStatusCode.OK);
        Assert.Equal((WebhookSubscriptionStatus.Active, (string?)null), (resumed.Status, resumed.PausedReason));
        var arrived = await world.AcceptedAsync(2);
        Assert.Equal(["scheduled", "active"], arrived.Select(r => r.Data.GetProperty("to").GetString()));

        // Replay from the first delivery: both again, same webhook-ids, so a de-duplicating receiver ignores them.
        var replayed = await world.Client.PostOkAsync<WebhookReplayed>($"{world.Base}/{subscription.Id}/replay", new { from = deliveries[0].Id }, HttpStatusCode.OK);
        Assert.Equal(2, replayed.Requeued);
        await Eventually.ValueAsync(() => Task.FromResult(world.Receiver.All.Count(r => r.Status == 200)), n => n >= 4);
        Assert.Equal(arrived.Select(r => r.Id), world.Receiver.All.Where(r => r.Status == 200).Skip(2).Select(r => r.Id));
        Assert.Equal(2, world.Receiver.Accepted.Count);

        // From a time: only what happened at or after it (both transitions happened at the same domain time).
        var after = await world.Client.PostOkAsync<WebhookReplayed>(
            $"{world.Base}/{subscription.Id}/replay", new { from = deliveries[1].OccurredAt.AddTicks(10).ToString("O") }, HttpStatusCode.OK);
        Assert.Equal(0, after.Requeued);
        var at = await world.Client.PostOkAsync<WebhookReplayed>(
            $"{world.Base}/{subscription.Id}/replay", new { from = deliveries[0].OccurredAt.ToString("O") }, HttpStatusCode.OK);
        Assert.Equal(deliveries.Count(d => d.OccurredAt >= deliveries[0].OccurredAt), at.Requeued);

        // A replay without a point is a 400 and queues nothing.
        await ApiClient.ProblemAsync(await world.Client.PostAsync($"{world.Base}/{subscription.Id}/replay", new { from = "soon" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnAttemptPastTheTimeout_FailsWithTheError_AndTheRetryDelivers()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var subscription = await world.SubscribeAsync("series.transitioned");
        var calls = 0;
        world.Receiver.Answer = _ => Interlocked.Increment(ref calls) == 1 ? WebhookReceiver.Hang : 200;
        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        await Eventually.ValueAsync(
            () =>
            {
                world.Host.Clock.Advance(TimeSpan.FromSeconds(10));
                return Task.FromResult(world.Receiver.Accepted.Count);
            },
            n => n >= 2, TimeSpan.FromSeconds(30));
        var first = (await world.DeliveriesAsync(subscription.Id))[0];
        var attempts = await world.AttemptsAsync(subscription.Id, first.Id);
        Assert.Equal(2, attempts.Length);
        Assert.Null(attempts[0].StatusCode);
        Assert.StartsWith("timeout", attempts[0].Error);
        Assert.InRange(attempts[0].DurationMs, 900, 5000);
        Assert.Equal(200, attempts[1].StatusCode);
        Assert.True(attempts[1].At > attempts[0].At);
    }

    [Fact]
    public async Task ADeliveryFailingPastTheGiveUpPeriod_IsFailed_AndTheSeriesMovesOn()
    {
        await using var world = await WebhookWorld.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["EventSeries:Webhooks:GiveUpAfter"] = "00:10:00",
            ["EventSeries:Webhooks:RetryMaxDelay"] = "00:01:00",
        });
        var subscription = await world.SubscribeAsync("series.transitioned");
        world.Receiver.Answer = r => r.Data.GetProperty("to").GetString() == "scheduled" ? 500 : 200;
        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        var arrived = await Eventually.ValueAsync(
            () =>
            {
                world.Host.Clock.Advance(TimeSpan.FromMinutes(1));
                return Task.FromResult(world.Receiver.Accepted);
            },
            r => r.Count >= 1, TimeSpan.FromSeconds(40));
        Assert.Equal("active", Assert.Single(arrived).Data.GetProperty("to").GetString());
        var deliveries = await world.SettledDeliveriesAsync(subscription.Id, 2);
        Assert.Equal(("failed", "delivered"), (deliveries[0].Status, deliveries[1].Status));
        Assert.Equal(500, deliveries[0].LastStatusCode);
        var attempts = await world.AttemptsAsync(subscription.Id, deliveries[0].Id);
        Assert.True(attempts[^1].At - attempts[0].At >= TimeSpan.FromMinutes(10), "tried until the end of the period");
    }
}
