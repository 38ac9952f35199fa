using System.Net;
using System.Text.Json;
using EventSeries.CheckIns;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// The CRM sets attendees' names and e-mails on tickets and their wristbands and reports bands lost
/// or found; a ticket shop issues and cancels tickets. All audited with the integration as actor.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class WebhookCrmAndTicketShopTests(ApiFixture fixture)
{
    [Fact]
    public async Task AttendeeUpdated_SetsTheHolderOnTheTicketAndItsWristband()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);

        var answer = await w.Crm.SendOkAsync(WebhookSender.Body("attendee.updated", new
        {
            source = w.Ticket.Source, externalId = w.Ticket.ExternalId, holderName = "Ada Attendee", holderEmail = "ada@example.org",
        }));

        Assert.True(answer.GetProperty("applied").GetBoolean());
        var ticket = await w.ReloadTicketAsync();
        var band = await w.Owner.GetOkAsync<WristbandView>($"/api/wristbands/{w.Band.Id}");
        Assert.Equal(("Ada Attendee", "ada@example.org"), (ticket.HolderName, ticket.HolderEmail));
        Assert.Equal(("Ada Attendee", "ada@example.org"), (band.HolderName, band.HolderEmail));
        var audit = await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT actor || coalesce(actor_user_id::text, '-') || after::text FROM audit_log WHERE action = 'ticket.holder' AND target_id = @id", ("id", w.Ticket.Id.ToString()));
        Assert.StartsWith("integration:crm-", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.org", audit, StringComparison.Ordinal);

        var invalid = await w.Crm.SendAsync(WebhookSender.Body("attendee.updated", new { ticketId = w.Ticket.Id, holderEmail = "not an address" }));
        await ApiClient.ProblemAsync(invalid, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ABandReportedLost_IsDeniedAtTheNextScan_AndFound_IsAdmittedAgain()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        Assert.True((await w.Gates.ScanAsync(w.Band.NfcId)).Allowed);

        var lost = await w.Crm.SendOkAsync(WebhookSender.Body("wristband.lost", new { eventId = w.Gates.Event.Id, nfcId = w.Band.NfcId }));
        Assert.Equal("lost", lost.GetProperty("status").GetString());
        var denied = await w.Gates.ScanAsync(w.Band.NfcId, direction: "out");
        Assert.Equal((ScanReasons.WristbandInactive, "lost"), (denied.Reason, denied.Detail));

        // Found, named by its ticket this time.
        var found = await w.Crm.SendOkAsync(WebhookSender.Body("wristband.found", new { ticketId = w.Ticket.Id }));
        Assert.Equal(("changed", "active"), (found.GetProperty("outcome").GetString(), found.GetProperty("status").GetString()));
        Assert.True((await w.Gates.ScanAsync(w.Band.NfcId, direction: "out")).Allowed);
        Assert.Equal(2, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = 'wristband.status' AND target_id = @id AND actor = 'integration:crm' AND actor_user_id IS NULL", ("id", w.Band.Id.ToString())));

        // An unknown band is 422 and changes nothing.
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(
            await w.Crm.SendAsync(WebhookSender.Body("wristband.lost", new { eventId = w.Gates.Event.Id, nfcId = "NOSUCHBAND" })), HttpStatusCode.UnprocessableEntity, "unknown_wristband");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task ATicketShop_IssuesAPendingTicket_WhichAPaymentMakesValid_AndCancelsIt()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        using var shop = await WebhookSender.CreateAsync(fixture, w.Owner, w.Tenant.OrganizationId, "tickets");

        var created = await shop.SendOkAsync(WebhookSender.Body("ticket.created", new
        {
            eventId = w.Gates.Event.Id, source = "shop", externalId = "SHOP-7", ticketType = "general", seriesIds = new[] { w.Gates.Series.Id }, status = "pending",
        }));
        var ticketId = created.GetProperty("ticketId").GetGuid();
        Assert.Equal(TicketStatus.Pending, (await w.Owner.GetOkAsync<TicketView>($"/api/tickets/{ticketId}")).Status);

        await w.Payments.SendOkAsync(WebhookSender.Body("payment.paid", new { source = "shop", externalId = "SHOP-7" }, fixture.Clock.GetUtcNow()));
        Assert.Equal(TicketStatus.Valid, (await w.Owner.GetOkAsync<TicketView>($"/api/tickets/{ticketId}")).Status);

        var cancelled = await shop.SendOkAsync(WebhookSender.Body("ticket.cancelled", new { ticketId, reason = "order cancelled" }));
        Assert.Equal("void", cancelled.GetProperty("status").GetString());
        var actors = await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT string_agg(action || ' ' || actor, ', ' ORDER BY id) FROM audit_log WHERE target_id = @id", ("id", ticketId.ToString()));
        Assert.Equal("ticket.create integration:tickets, ticket.payment integration:payments, ticket.void integration:tickets", actors);

        // Another organization's event is not found from this one.
        using var other = await WebhookWorld.CreateAsync(fixture, "Other Shop Org");
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var foreign = await shop.SendAsync(WebhookSender.Body("ticket.created", new
        {
            eventId = other.Gates.Event.Id, source = "shop", externalId = "SHOP-8", ticketType = "general",
        }));
        await ApiClient.ProblemAsync(foreign, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task ManagingSecrets_NeedsAnAdmin()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var member = await w.Owner.PostOkAsync<JsonElement>($"/api/organizations/{w.Tenant.OrganizationId}/members", new { displayName = "Manny Manager", role = "manager" });
        var token = await w.Owner.PostOkAsync<JsonElement>(
            $"/api/organizations/{w.Tenant.OrganizationId}/members/{member.GetProperty("userId").GetGuid()}/tokens", new { name = "m" });
        using var manager = fixture.Host.Client(token.GetProperty("secret").GetString());

        await ApiClient.ProblemAsync(await manager.PostAsync($"/api/organizations/{w.Tenant.OrganizationId}/integrations/crm/secrets", new { }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await w.Owner.PostAsync($"/api/organizations/{w.Tenant.OrganizationId}/integrations/shop/secrets", new { }), HttpStatusCode.BadRequest);
    }
}
