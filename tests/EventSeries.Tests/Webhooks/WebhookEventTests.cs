using System.Net;
using EventSeries.Api.Contracts;
using EventSeries.Tests.Imports;
using EventSeries.Tickets;
using EventSeries.Webhooks;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// Each event type reaches a real receiver, signed (Standard Webhooks, checked by the receiver's own
/// HMAC), with a body of type, timestamp and data; the secret is shown once and never again.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class WebhookEventTests(PostgresServer postgres)
{
    [Fact]
    public async Task Scans_ArriveAsCheckinCreatedAndDenied_SignedWithTheSecretShownOnce()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var response = await world.Client.PostAsync(world.Base, new { url = world.Receiver.Url(), eventTypes = new[] { "checkin.created", "checkin.denied" } });
        var issued = await ApiClient.ReadAsync<IssuedWebhookSubscription>(response, HttpStatusCode.Created);
        world.Receiver.UseSecret(issued.SigningSecret);
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", issued.SigningSecret);

        // Never shown again: not by the subscription, not by the list.
        var again = await (await world.Client.GetAsync($"{world.Base}/{issued.Subscription.Id}")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var list = await (await world.Client.GetAsync(world.Base)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(issued.SigningSecret["whsec_".Length..], again + list);
        Assert.DoesNotContain("secret", again + list, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await Db.CountAsync(world.Host.ConnectionString,
            "SELECT count(*) FROM webhook_subscriptions WHERE position(convert_to(@s, 'UTF8') in ciphertext) > 0", ("s", issued.SigningSecret["whsec_".Length..])));

        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());
        var allowed = await gates.ScanAsync(gates.Wristbands[0].NfcId);
        var denied = await gates.ScanAsync(gates.Wristbands[1].NfcId, gates.Back);
        Assert.True(allowed.Allowed);
        Assert.False(denied.Allowed);

        var received = await world.AcceptedAsync(2);
        Assert.All(received, r => Assert.True(r.Signed, "signature must verify with the secret shown at creation"));
        var created = Assert.Single(received, r => r.Type == "checkin.created");
        Assert.Equal(allowed.CheckinId, created.Data.GetProperty("checkinId").GetGuid());
        Assert.Equal(gates.Series.Id, created.Data.GetProperty("seriesId").GetGuid());
        Assert.Equal("in", created.Data.GetProperty("direction").GetString());
        var refused = Assert.Single(received, r => r.Type == "checkin.denied");
        Assert.Equal(denied.Reason, refused.Data.GetProperty("reason").GetString());
        Assert.True(DateTimeOffset.TryParse(created.Body.GetProperty("timestamp").GetString(), out _));

        // The webhook-id is the delivery id the API lists, delivered after one attempt with its status code.
        var deliveries = await world.SettledDeliveriesAsync(issued.Subscription.Id, 2);
        Assert.Equal(received.Select(r => r.Id).Order(), deliveries.Select(d => d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(deliveries, d => Assert.Equal(("delivered", 1), (d.Status, d.Attempts)));
        var attempt = Assert.Single(await world.AttemptsAsync(issued.Subscription.Id, deliveries[0].Id));
        Assert.Equal(200, attempt.StatusCode);
        Assert.Null(attempt.Error);
    }

    [Fact]
    public async Task ChangesMadeByTheApi_ArriveAsSeriesTicketAndImportEvents()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var subscription = await world.SubscribeAsync("series.transitioned", "ticket.updated", "import.completed");
        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        var transitions = await world.AcceptedAsync(2, r => r.Type == "series.transitioned");
        Assert.Equal(["scheduled", "active"], transitions.Select(t => t.Data.GetProperty("to").GetString()));
        Assert.Equal(gates.Series.Id, transitions[1].Data.GetProperty("seriesId").GetGuid());

        var ticket = await world.Client.PostOkAsync<TicketView>($"/api/events/{gates.Event.Id}/tickets", new
        {
            externalId = "T-1", source = "shop", ticketType = "general", seriesIds = new[] { gates.Series.Id },
        });
        await world.Client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/void", new { reason = "chargeback" }, HttpStatusCode.OK);
        var voided = Assert.Single(await world.AcceptedAsync(1, r => r.Type == "ticket.updated"));
        Assert.Equal(ticket.Id, voided.Data.GetProperty("ticketId").GetGuid());
        Assert.Equal("void", voided.Data.GetProperty("status").GetString());

        var job = await ImportClient.ImportAsync(world.Client, gates.Event.Id, ImportClient.Csv("nfc_id,category", "I0000001,general", "I0000002,vip"));
        var import = Assert.Single(await world.AcceptedAsync(1, r => r.Type == "import.completed"));
        Assert.Equal(job.Id, import.Data.GetProperty("importId").GetGuid());
        Assert.Equal(2, import.Data.GetProperty("created").GetInt64());

        // Nothing else arrived (no ticket.updated for the creation, no checkins: not subscribed), and all verified.
        Assert.Equal(4, world.Receiver.Accepted.Count);
        Assert.All(world.Receiver.All, r => Assert.True(r.Signed));
        Assert.Equal(4, (await world.SettledDeliveriesAsync(subscription.Id, 4)).Length);
    }

    [Fact]
    public async Task NobodySubscribed_TheOutboxStaysEmpty_AndTheCheckinCursorMovesOn()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var gates = await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());
        await gates.ScanAsync(gates.Wristbands[0].NfcId);

        // Another organization's subscription does not see this one's changes either.
        var other = await Tenant.BootstrapAsync(world.Host.ConnectionString, "Other Org");
        using var otherClient = world.Host.Client(other.Token);
        await otherClient.PostOkAsync<IssuedWebhookSubscription>($"/api/organizations/{other.OrganizationId}/webhooks", new
        {
            url = world.Receiver.Url(), eventTypes = WebhookEventTypes.All,
        });
        await gates.ScanAsync(gates.Wristbands[1].NfcId);
        await gates.TransitionAsync("completed");

        await Eventually.ValueAsync(
            () => Db.CountAsync(world.Host.ConnectionString, "SELECT position FROM webhook_pump_cursors WHERE name = 'checkins'"),
            position => position >= 2);
        Assert.Equal(0, await Db.CountAsync(world.Host.ConnectionString, "SELECT count(*) FROM webhook_deliveries"));
        Assert.Empty(world.Receiver.All);
    }
}
