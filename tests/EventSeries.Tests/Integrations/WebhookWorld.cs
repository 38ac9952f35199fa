using System.Net;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// An organization with an active series (see <see cref="GateScenario"/>) and a ticket from the shop
/// exchanged for a wristband, plus a signed sender for payments and one for the CRM.
/// </summary>
public sealed record WebhookWorld(Tenant Tenant, ApiClient Owner, GateScenario Gates, TicketView Ticket, WristbandView Band, WebhookSender Payments, WebhookSender Crm) : IDisposable
{
    public static async Task<WebhookWorld> CreateAsync(ApiFixture fixture, string name = "Webhook Org")
    {
        var tenant = await fixture.NewTenantAsync(name);
        var owner = fixture.Host.Client(tenant.Token);
        var gates = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var nfcId = "W" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var band = (await owner.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{gates.Event.Id}/wristbands", new { wristbands = new[] { new { nfcId, category = "general" } } })).Single();
        var ticket = await owner.PostOkAsync<TicketView>($"/api/events/{gates.Event.Id}/tickets", new
        {
            externalId = "ORD-" + Guid.NewGuid().ToString("N")[..8], source = "shop", ticketType = "general", seriesIds = new[] { gates.Series.Id },
        });
        ticket = await owner.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId }, HttpStatusCode.OK);
        var payments = await WebhookSender.CreateAsync(fixture, owner, tenant.OrganizationId, "payments");
        var crm = await WebhookSender.CreateAsync(fixture, owner, tenant.OrganizationId, "crm");
        return new WebhookWorld(tenant, owner, gates, ticket, band, payments, crm);
    }

    /// <summary>A payment event for the world's ticket, named the shop's way (source and external id).</summary>
    public string Payment(string type, DateTimeOffset occurredAt, string? reference = null) =>
        WebhookSender.Body(type, new { source = Ticket.Source, externalId = Ticket.ExternalId, reference }, occurredAt);

    public Task<TicketView> ReloadTicketAsync() => Owner.GetOkAsync<TicketView>($"/api/tickets/{Ticket.Id}");

    public void Dispose()
    {
        Owner.Dispose();
        Payments.Dispose();
        Crm.Dispose();
    }
}
