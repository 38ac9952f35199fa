using System.Net;
using EventSeries.CheckIns;
using EventSeries.Tickets;
using EventSeries.Wristbands;
using Microsoft.Extensions.Time.Testing;

namespace EventSeries.Tests.Tickets;

/// <summary>A ticket's rule at the gates holds on every silo at once, and after a restart (the access grain reads it from the database).</summary>
[Trait("Category", "Postgres")]
public sealed class TicketAccessRestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task AfterARestart_AVoidedTicketsBandIsStillDenied_AndAValidTicketsBandStillAdmitted()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        GateScenario g;
        WristbandView voidedBand, validBand;
        using (var client = host.Client(tenant.Token))
        {
            g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 1, vip: 0);
            (voidedBand, validBand) = (await RegisterAsync(client, g), await RegisterAsync(client, g));
            var voided = await ExchangedTicketAsync(client, g, voidedBand);
            await ExchangedTicketAsync(client, g, validBand);
            await client.PostOkAsync<TicketView>($"/api/tickets/{voided.Id}/void", new { }, HttpStatusCode.OK);
        }

        await host.RestartAsync();

        using var after = host.Client(tenant.Token);
        var restarted = g with { Client = after };
        var denied = await restarted.ScanAsync(voidedBand.NfcId);
        Assert.Equal((false, ScanReasons.TicketVoid, "void"), (denied.Allowed, denied.Reason, denied.Detail));
        var admitted = await restarted.ScanAsync(validBand.NfcId);
        Assert.True(admitted.Allowed, admitted.Reason);
    }

    [Fact]
    public async Task AVoidThroughOneSilo_DeniesTheBandAtTheNextScanThroughEitherSilo()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var first = await ApiHost.StartAsync(connectionString, "tickets", clock);
        await using var second = await ApiHost.StartAsync(connectionString, "tickets", clock);
        await first.WaitForActiveSilosAsync(2);
        await second.WaitForActiveSilosAsync(2);
        var tenant = await Tenant.BootstrapAsync(connectionString);
        using var viaFirst = first.Client(tenant.Token);
        using var viaSecond = second.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(viaFirst, clock.GetUtcNow(), general: 1, vip: 0);
        var bands = new[] { await RegisterAsync(viaFirst, g), await RegisterAsync(viaFirst, g), await RegisterAsync(viaFirst, g), await RegisterAsync(viaFirst, g) };
        var tickets = new List<TicketView>();
        foreach (var band in bands)
        {
            tickets.Add(await ExchangedTicketAsync(viaFirst, g, band));
            Assert.True((await g.ScanAsync(band.NfcId)).Allowed); // activates its access grain on one of the two silos
            Assert.True((await g.ScanAsync(band.NfcId, direction: "out")).Allowed);
        }

        foreach (var ticket in tickets)
        {
            await viaSecond.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/void", new { status = "refunded" }, HttpStatusCode.OK);
        }

        foreach (var (band, client) in bands.Select((b, i) => (b, i % 2 == 0 ? viaFirst : viaSecond)))
        {
            var denied = await (g with { Client = client }).ScanAsync(band.NfcId);
            Assert.Equal((false, ScanReasons.TicketVoid, "refunded"), (denied.Allowed, denied.Reason, denied.Detail));
        }
    }

    private static async Task<WristbandView> RegisterAsync(ApiClient client, GateScenario g)
    {
        var nfcId = "R" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        return (await client.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{g.Event.Id}/wristbands", new { wristbands = new[] { new { nfcId, category = "general" } } })).Single();
    }

    private static async Task<TicketView> ExchangedTicketAsync(ApiClient client, GateScenario g, WristbandView band)
    {
        var ticket = await client.PostOkAsync<TicketView>($"/api/events/{g.Event.Id}/tickets", new
        {
            externalId = "R-" + Guid.NewGuid().ToString("N")[..10], source = "shop", ticketType = "general", seriesIds = new[] { g.Series.Id },
        });
        return await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK);
    }
}
