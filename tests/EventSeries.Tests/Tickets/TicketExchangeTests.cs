using System.Net;
using EventSeries.CheckIns;
using EventSeries.Series;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Tickets;

/// <summary>
/// The box office and the gates: a valid ticket exchanged for a wristband gives the band its
/// category and series at once; re-pairing is explicit and takes the old band's access; a ticket
/// voided, refunded or used takes its band's access from the next scan.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class TicketExchangeTests(ApiFixture fixture)
{
    [Fact]
    public async Task Exchange_GivesTheBandTheTicketsCategoryAndSeries_InOneWrite_AndItIsAdmittedAtOnce()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 1);
        var band = await RegisterAsync(client, g, "general");
        var ticket = await NewTicketAsync(client, g, "vip");

        // Before: a general band of no series. The gates' memory of it is what the exchange must change.
        Assert.Equal(ScanReasons.NotAssigned, (await g.ScanAsync(band.NfcId, g.Vip)).Reason);
        var exchanged = await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK);

        Assert.Equal((band.Id, band.NfcId), (exchanged.WristbandId, exchanged.NfcId));
        Assert.Equivalent(exchanged, await client.GetOkAsync<TicketView>($"/api/tickets/{ticket.Id}"), strict: true);
        Assert.Equal("vip", await Db.ScalarAsync<string>(fixture.ConnectionString, "SELECT category FROM wristbands WHERE id = @id", ("id", band.Id)));
        Assert.Equal("vip", await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT category FROM series_wristband_assignments WHERE wristband_id = @id AND series_id = @s", ("id", band.Id), ("s", g.Series.Id)));
        var series = await client.GetOkAsync<SeriesView>($"/api/series/{g.Series.Id}");
        Assert.Equal(2, series.Categories.Single(c => c.Category == "vip").Assigned);

        // No clock moved: the band's access grain was told, it did not wait to re-read.
        var entry = await g.ScanAsync(band.NfcId, g.Vip);
        Assert.True(entry.Allowed, entry.Reason);
        Assert.Equal("vip", entry.Category);
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = 'ticket.exchange' AND target_id = @id", ("id", ticket.Id.ToString())));

        // The same band again is no change; another ticket may not have it.
        var other = await NewTicketAsync(client, g, "general");
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        Assert.Equal(band.Id, (await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK)).WristbandId);
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{other.Id}/exchange", new { nfcId = band.NfcId }), HttpStatusCode.Conflict, "wristband_paired");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Theory]
    [InlineData("void")]
    [InlineData("refunded")]
    [InlineData("used")]
    public async Task ATicketThatIsNotValid_CannotBeExchanged_409_AndNothingChanges(string status)
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var band = await RegisterAsync(client, g, "general");
        var ticket = await client.PostOkAsync<TicketView>($"/api/events/{g.Event.Id}/tickets", new
        {
            externalId = "N-" + Guid.NewGuid().ToString("N")[..8], source = "shop", ticketType = "general", seriesIds = new[] { g.Series.Id }, status,
        });
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }), HttpStatusCode.Conflict, "ticket_not_valid");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task AnExchangeASeriesCategoryLimitHasNoRoomFor_Is409_AndNothingChanges()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 1, vipLimit: 1);
        await client.PostOkAsync<AssignmentResult>($"/api/series/{s.Series.Id}/wristbands/bulk", new { wristbandIds = new[] { s.Wristbands[1].Id } }, HttpStatusCode.OK);
        var band = s.Wristbands[0]; // general, of no series yet
        var vip = await client.PostOkAsync<TicketView>($"/api/events/{s.Event.Id}/tickets", new { externalId = "L-1", source = "shop", ticketType = "vip", seriesIds = new[] { s.Series.Id } });
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{vip.Id}/exchange", new { nfcId = band.NfcId }), HttpStatusCode.Conflict, "category_limit_exceeded");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        var general = await client.PostOkAsync<TicketView>($"/api/events/{s.Event.Id}/tickets", new { externalId = "L-2", source = "shop", ticketType = "general", seriesIds = new[] { s.Series.Id } });
        Assert.Equal(band.Id, (await client.PostOkAsync<TicketView>($"/api/tickets/{general.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK)).WristbandId);
    }

    [Fact]
    public async Task RePairing_NeedsReplace_IsAudited_AndTheOldBandStopsAdmitting()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var lost = await RegisterAsync(client, g, "general");
        var spare = await RegisterAsync(client, g, "general");
        var ticket = await NewTicketAsync(client, g, "general");
        await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = lost.NfcId }, HttpStatusCode.OK);
        Assert.True((await g.ScanAsync(lost.NfcId)).Allowed);
        Assert.True((await g.ScanAsync(lost.NfcId, direction: "out")).Allowed);

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var refused = await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{ticket.Id}/exchange", new { nfcId = spare.NfcId }), HttpStatusCode.Conflict, "ticket_paired");
        Assert.Contains("replace", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        var replaced = await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = spare.NfcId, replace = true }, HttpStatusCode.OK);

        Assert.Equal(spare.Id, replaced.WristbandId);
        var old = await g.ScanAsync(lost.NfcId);
        Assert.Equal((false, ScanReasons.WristbandInactive, "revoked"), (old.Allowed, old.Reason, old.Detail));
        Assert.Equal(WristbandStatus.Revoked, (await client.GetOkAsync<WristbandView>($"/api/wristbands/{lost.Id}")).Status);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_wristband_assignments WHERE wristband_id = @id", ("id", lost.Id)));
        Assert.True((await g.ScanAsync(spare.NfcId)).Allowed);
        var audit = await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT before::text || ' ' || after::text FROM audit_log WHERE action = 'ticket.replace_wristband' AND target_id = @id", ("id", ticket.Id.ToString()));
        Assert.Contains(lost.Id.ToString(), audit, StringComparison.Ordinal);
        Assert.Contains(spare.Id.ToString(), audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("void")]
    [InlineData("refunded")]
    public async Task VoidingOrRefunding_DeniesThePairedBandsNextScan_WithTicketVoid(string status)
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var band = await RegisterAsync(client, g, "general");
        var bystander = g.Wristbands[0];
        var ticket = await NewTicketAsync(client, g, "general");
        await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK);
        Assert.True((await g.ScanAsync(band.NfcId)).Allowed);
        Assert.True((await g.ScanAsync(band.NfcId, direction: "out")).Allowed);

        var voided = await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/void", new { status, reason = "chargeback" }, HttpStatusCode.OK);
        Assert.Equal(status, voided.Status.ToString().ToLowerInvariant());

        // The very next scan, with no clock moved and nothing waited for.
        var denied = await g.ScanAsync(band.NfcId);
        Assert.Equal((false, ScanReasons.TicketVoid, status), (denied.Allowed, denied.Reason, denied.Detail));
        Assert.Contains(status, denied.Message, StringComparison.Ordinal);
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM checkin_logs WHERE wristband_id = @id AND reason = 'ticket_void' AND detail = @status", ("id", band.Id), ("status", status)));
        Assert.Equal(ScanReasons.TicketVoid, (await g.VerifyAsync(band.NfcId)).Reason);
        Assert.True((await g.ScanAsync(bystander.NfcId)).Allowed, "a band without a ticket is not affected");
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = @action AND target_id = @id", ("action", status == "void" ? "ticket.void" : "ticket.refund"), ("id", ticket.Id.ToString())));
    }

    [Fact]
    public async Task APairedBand_IsAdmittedOnlyWhileItsTicketIsValid_UsedAndBackAgain()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var band = await RegisterAsync(client, g, "general");
        var ticket = await NewTicketAsync(client, g, "general");
        await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK);
        object Spec(string status) => new { externalId = ticket.ExternalId, source = ticket.Source, ticketType = "general", seriesIds = new[] { g.Series.Id }, status };

        await client.PutOkAsync<TicketView>($"/api/tickets/{ticket.Id}", Spec("used"));
        var used = await g.ScanAsync(band.NfcId);
        Assert.Equal((ScanReasons.TicketVoid, "used"), (used.Reason, used.Detail));

        await client.PutOkAsync<TicketView>($"/api/tickets/{ticket.Id}", Spec("valid"));
        Assert.True((await g.ScanAsync(band.NfcId)).Allowed);
    }

    [Fact]
    public async Task APairedBand_CarriesItsTicketsHolder_FromTheExchangeAndThroughEveryEdit()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var band = await RegisterAsync(client, g, "general");
        var bystander = await RegisterAsync(client, g, "general");
        var ticket = await NewTicketAsync(client, g, "general");
        const string holderOf = "SELECT concat_ws('|', holder_name, holder_email) FROM wristbands WHERE id = @id";

        await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK);
        Assert.Equal("Holder", await Db.ScalarAsync<string>(fixture.ConnectionString, holderOf, ("id", band.Id)));

        await client.PutOkAsync<TicketView>($"/api/tickets/{ticket.Id}", new
        {
            ticket.ExternalId, ticket.Source, holderName = "Hanna Holder", holderEmail = "hanna@example.org", ticket.TicketType, seriesIds = ticket.SeriesIds,
        });

        Assert.Equal("Hanna Holder|hanna@example.org", await Db.ScalarAsync<string>(fixture.ConnectionString, holderOf, ("id", band.Id)));
        Assert.Equal("", await Db.ScalarAsync<string>(fixture.ConnectionString, holderOf, ("id", bystander.Id)));
    }

    private static async Task<WristbandView> RegisterAsync(ApiClient client, GateScenario g, string category)
    {
        var nfcId = "T" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var registered = await client.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{g.Event.Id}/wristbands", new { wristbands = new[] { new { nfcId, category } } });
        return registered.Single();
    }

    private static Task<TicketView> NewTicketAsync(ApiClient client, GateScenario g, string ticketType) =>
        client.PostOkAsync<TicketView>($"/api/events/{g.Event.Id}/tickets", new
        {
            externalId = "E-" + Guid.NewGuid().ToString("N")[..10], source = "shop", holderName = "Holder", ticketType, seriesIds = new[] { g.Series.Id },
        });
}
