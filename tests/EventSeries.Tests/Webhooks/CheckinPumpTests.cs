using EventSeries.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// The check-in pump's durable cursor: a log row whose number was taken by a transaction still open
/// holds the rows after it back (they are not skipped), a rolled-back one does not hold them for long,
/// and each log row becomes exactly one delivery, in log order.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class CheckinPumpTests(PostgresServer postgres)
{
    [Fact]
    public async Task ALogWriteStillOpen_HoldsTheRowsAfterIt_UntilItCommits_ThenBothArriveInOrder()
    {
        await using var world = await WebhookWorld.StartAsync(postgres, new Dictionary<string, string?>
        {
            // Polls only when the test asks, so "not yet" is a fact, not a race.
            ["EventSeries:Webhooks:PollPeriod"] = "01:00:00",
        });
        var subscription = await world.SubscribeAsync("checkin.created", "checkin.denied");
        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());
        var dispatcher = world.Host.App.Services.GetRequiredService<WebhookDispatcher>();
        await dispatcher.PollAsync(TestContext.Current.CancellationToken);

        // A log write in flight: its row has a number, but is not committed.
        var late = Guid.CreateVersion7();
        await using var open = new NpgsqlConnection(world.Host.ConnectionString);
        await open.OpenAsync(TestContext.Current.CancellationToken);
        await using var tx = await open.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await InsertDeniedAsync(open, tx, gates, late);

        var scan = await gates.ScanAsync(gates.Wristbands[0].NfcId);
        await dispatcher.PollAsync(TestContext.Current.CancellationToken);
        await dispatcher.PollAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await world.DeliveriesAsync(subscription.Id));

        await tx.CommitAsync(TestContext.Current.CancellationToken);
        await dispatcher.PollAsync(TestContext.Current.CancellationToken);
        var arrived = await world.AcceptedAsync(2);
        Assert.Equal([late, scan.CheckinId], arrived.Select(r => r.Data.GetProperty("checkinId").GetGuid()));
        Assert.Equal(["checkin.denied", "checkin.created"], arrived.Select(r => r.Type));

        // A write that rolls back leaves a gap for good: the pump goes past it once that transaction ended.
        await using (var rolledBack = await open.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await InsertDeniedAsync(open, rolledBack, gates, Guid.CreateVersion7());
            var next = await gates.ScanAsync(gates.Wristbands[1].NfcId);
            await rolledBack.RollbackAsync(TestContext.Current.CancellationToken);

            // The pump passes the gap once every transaction running when it first saw it has ended;
            // the sender recording the first two deliveries may be one of them, so poll until then.
            var third = await Eventually.ValueAsync(
                async () =>
                {
                    await dispatcher.PollAsync(TestContext.Current.CancellationToken);
                    return world.Receiver.Accepted;
                },
                r => r.Count >= 3);
            Assert.Equal(next.CheckinId, third[2].Data.GetProperty("checkinId").GetGuid());
        }

        // Exactly one delivery per committed log row.
        Assert.Equal(3, (await world.DeliveriesAsync(subscription.Id)).Length);
        Assert.Equal(3, await Db.CountAsync(world.Host.ConnectionString, "SELECT count(*) FROM checkin_logs"));
    }

    private static async Task InsertDeniedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, GateScenario g, Guid id)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO checkin_logs (id, organization_id, event_id, series_id, nfc_id, gate_id, direction, result, reason, message, at)
            SELECT @id, e.organization_id, e.id, @series, 'LATE', @gate, 'in', 'denied', 'unknown_wristband', 'Logged late.', now()
            FROM events e WHERE e.id = @event
            """, connection, tx);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("series", g.Series.Id);
        insert.Parameters.AddWithValue("gate", g.Main.Id);
        insert.Parameters.AddWithValue("event", g.Event.Id);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }
}
