using System.Net;
using System.Text.Json;
using EventSeries.Persistence.Queries;
using EventSeries.Tickets;

namespace EventSeries.Tests.Tickets;

/// <summary>Tickets over HTTP: create, read, list with filters and pages, update, void; every refusal a clear 4xx that changes nothing.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class TicketTests(ApiFixture fixture)
{
    [Fact]
    public async Task Tickets_AreCreatedReadListedByStatusSeriesAndHolder_PagedAndUpdated()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var day2 = await client.PostOkAsync<EventSeries.Series.SeriesView>("/api/series", new
        {
            eventId = s.Event.Id, name = "Day 2", startsAt = Scenario.Start.AddDays(1), endsAt = Scenario.Start.AddDays(1).AddHours(8),
        });
        var url = $"/api/events/{s.Event.Id}/tickets";

        var anna = await client.PostOkAsync<TicketView>(url, new
        {
            externalId = "A-1", source = "shop", holderName = "Anna Adler", holderEmail = "anna@example.org", ticketType = "vip", seriesIds = new[] { s.Series.Id, day2.Id },
        });
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1)); // later, but listed by source and external id
        var bert = await client.PostOkAsync<TicketView>(url, new { externalId = "B-2", source = "shop", holderName = "Bert Brandt", ticketType = "general", seriesIds = new[] { s.Series.Id } });
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        var cara = await client.PostOkAsync<TicketView>(url, new { externalId = "B-2", source = "box-office", holderEmail = "cara@example.org", ticketType = "general", status = "used" });

        Assert.Equal((TicketStatus.Valid, "vip", s.Event.Id, (Guid?)null), (anna.Status, anna.TicketType, anna.EventId, anna.WristbandId));
        Assert.Equal(new[] { s.Series.Id, day2.Id }.Order(), anna.SeriesIds.Order());
        Assert.Equivalent(anna, await client.GetOkAsync<TicketView>($"/api/tickets/{anna.Id}"), strict: true);
        Assert.Equal(2, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_tickets WHERE ticket_id = @id", ("id", anna.Id)));

        // By source, then external id (the shop's ticket number), not by creation.
        Assert.Equal([cara.Id, anna.Id, bert.Id], (await client.GetOkAsync<Page<TicketView>>(url)).Items.Select(t => t.Id));
        Assert.Equal([cara.Id], (await client.GetOkAsync<Page<TicketView>>($"{url}?status=used")).Items.Select(t => t.Id));
        Assert.Equal([anna.Id], (await client.GetOkAsync<Page<TicketView>>($"{url}?seriesId={day2.Id}")).Items.Select(t => t.Id));
        Assert.Equal([bert.Id], (await client.GetOkAsync<Page<TicketView>>($"{url}?holder=BRANDT")).Items.Select(t => t.Id));
        Assert.Equal([cara.Id], (await client.GetOkAsync<Page<TicketView>>($"{url}?holder=cara@")).Items.Select(t => t.Id));
        Assert.Empty((await client.GetOkAsync<Page<TicketView>>($"{url}?holder=%25")).Items); // a % is a character, not a wildcard
        var second = await client.GetOkAsync<Page<TicketView>>($"{url}?page=2&pageSize=2");
        Assert.Equal([bert.Id], second.Items.Select(t => t.Id));
        Assert.Equal((3L, 2), (second.Total, second.PageNumber));

        var updated = await client.PutOkAsync<TicketView>($"/api/tickets/{bert.Id}", new
        {
            externalId = "B-2", source = "shop", holderName = "Bert Brandt-Berg", holderEmail = "bert@example.org", ticketType = "vip", seriesIds = new[] { day2.Id },
        });
        Assert.Equal(("Bert Brandt-Berg", "bert@example.org", "vip", TicketStatus.Valid), (updated.HolderName, updated.HolderEmail, updated.TicketType, updated.Status));
        Assert.Equivalent(updated, await client.GetOkAsync<TicketView>($"/api/tickets/{bert.Id}"), strict: true);
        Assert.Equal([anna.Id, bert.Id], (await client.GetOkAsync<Page<TicketView>>($"{url}?seriesId={day2.Id}")).Items.Select(t => t.Id));
        Assert.Empty((await client.GetOkAsync<Page<TicketView>>($"{url}?seriesId={s.Series.Id}&holder=bert")).Items);

        var voided = await client.PostOkAsync<TicketView>($"/api/tickets/{bert.Id}/void", new { reason = "chargeback" }, HttpStatusCode.OK);
        Assert.Equal(TicketStatus.Void, voided.Status);
        Assert.Equal("void", await Db.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM tickets WHERE id = @id", ("id", bert.Id)));
        Assert.Equal(
            "ticket.create,ticket.create,ticket.create,ticket.update,ticket.void",
            await Db.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE target_type = 'ticket' AND target_id = ANY(@ids)",
                ("ids", new[] { anna.Id.ToString(), bert.Id.ToString(), cara.Id.ToString() })));
    }

    [Fact]
    public async Task BadTicketRequests_Are400sNamingEveryField_AndChangeNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var url = $"/api/events/{s.Event.Id}/tickets";
        var ticket = await client.PostOkAsync<TicketView>(url, new { externalId = "T-1", source = "shop", ticketType = "general", seriesIds = new[] { s.Series.Id } });
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var missing = await ApiClient.ProblemAsync(await client.PostAsync(url, new { holderName = "Nobody" }), HttpStatusCode.BadRequest);
        Assert.Equal(["externalId", "source", "ticketType"], Fields(missing));

        var wrong = await ApiClient.ProblemAsync(await client.PostAsync(url, new
        {
            externalId = new string('x', 201), source = "shop", holderEmail = "not an address", ticketType = "crew", seriesIds = new[] { Guid.NewGuid() },
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["externalId", "holderEmail", "seriesIds", "ticketType"], Fields(wrong));

        await ApiClient.ProblemAsync(await client.PostAsync(url, new { externalId = "T-1", source = "shop", ticketType = "general" }), HttpStatusCode.Conflict, "ticket_exists");
        await ApiClient.ProblemAsync(await client.SendRawAsync(HttpMethod.Post, url, """{"externalId":"T-2","source":"shop","ticketType":"general","status":1}"""), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.SendRawAsync(HttpMethod.Post, url, """{"externalId":"T-2","source":"shop","ticketType":"general","price":5}"""), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.GetAsync($"{url}?status=lost"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.GetAsync($"{url}?pageSize=501"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.PutAsync($"/api/tickets/{ticket.Id}", new { externalId = "T-1", source = "shop", ticketType = "nope" }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{ticket.Id}/void", new { status = "used" }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{ticket.Id}/exchange", new { }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{ticket.Id}/exchange", new { nfcId = "NOT-REGISTERED" }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/tickets/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/events/{Guid.NewGuid()}/tickets", new { externalId = "T-3", source = "shop", ticketType = "general" }), HttpStatusCode.NotFound);

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task VoidAndRefunded_AreFinal_AndAPairedTicketKeepsItsTypeAndSeries()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 2, vip: 0);
        var url = $"/api/events/{s.Event.Id}/tickets";
        var paired = await client.PostOkAsync<TicketView>(url, new { externalId = "P-1", source = "shop", ticketType = "general", seriesIds = new[] { s.Series.Id } });
        await client.PostOkAsync<TicketView>($"/api/tickets/{paired.Id}/exchange", new { nfcId = s.Wristbands[0].NfcId }, HttpStatusCode.OK);
        var refunded = await client.PostOkAsync<TicketView>(url, new { externalId = "R-1", source = "shop", ticketType = "general" });
        await client.PostOkAsync<TicketView>($"/api/tickets/{refunded.Id}/void", new { status = "refunded" }, HttpStatusCode.OK);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await ApiClient.ProblemAsync(await client.PutAsync($"/api/tickets/{paired.Id}", new { externalId = "P-1", source = "shop", ticketType = "vip", seriesIds = new[] { s.Series.Id } }), HttpStatusCode.Conflict, "ticket_paired");
        await ApiClient.ProblemAsync(await client.PutAsync($"/api/tickets/{paired.Id}", new { externalId = "P-1", source = "shop", ticketType = "general" }), HttpStatusCode.Conflict, "ticket_paired");
        await ApiClient.ProblemAsync(await client.PutAsync($"/api/tickets/{refunded.Id}", new { externalId = "R-1", source = "shop", ticketType = "general" }), HttpStatusCode.Conflict, "ticket_closed");
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/tickets/{refunded.Id}/void", new { }), HttpStatusCode.Conflict, "ticket_closed");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // Asked again, a refund is what it was: 200, nothing written.
        Assert.Equal(TicketStatus.Refunded, (await client.PostOkAsync<TicketView>($"/api/tickets/{refunded.Id}/void", new { status = "refunded" }, HttpStatusCode.OK)).Status);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // Its holder may still change on a paired ticket.
        var renamed = await client.PutOkAsync<TicketView>($"/api/tickets/{paired.Id}", new { externalId = "P-1", source = "shop", holderName = "Pia", ticketType = "general", seriesIds = new[] { s.Series.Id } });
        Assert.Equal(("Pia", s.Wristbands[0].Id), (renamed.HolderName, renamed.WristbandId));
    }

    [Fact]
    public async Task AnotherOrganizationsTickets_Are404_AndItsSeriesCategoriesAndWristbands_AreRefusedInABody()
    {
        using var owner = fixture.Host.Client((await fixture.NewTenantAsync("Ticket Owner")).Token);
        using var stranger = fixture.Host.Client((await fixture.NewTenantAsync("Ticket Stranger")).Token);
        var mine = await Scenario.CreateAsync(owner, general: 1, vip: 0);
        var theirs = await Scenario.CreateAsync(stranger, general: 1, vip: 0);
        var theirBand = (await stranger.PostOkAsync<ImmutableArray<EventSeries.Wristbands.WristbandView>>($"/api/events/{theirs.Event.Id}/wristbands", new
        {
            wristbands = new[] { new { nfcId = "S" + Guid.NewGuid().ToString("N")[..12], category = "general" } },
        })).Single();
        var ticket = await owner.PostOkAsync<TicketView>($"/api/events/{mine.Event.Id}/tickets", new
        {
            externalId = "O-1", source = "shop", holderName = "Olga", ticketType = "general", seriesIds = new[] { mine.Series.Id },
        });
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var body = new { externalId = "X-1", source = "shop", ticketType = "general" };
        await ApiClient.ProblemAsync(await stranger.GetAsync($"/api/tickets/{ticket.Id}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.PutAsync($"/api/tickets/{ticket.Id}", body), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.PostAsync($"/api/tickets/{ticket.Id}/void", new { }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.PostAsync($"/api/tickets/{ticket.Id}/exchange", new { nfcId = theirBand.NfcId }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.GetAsync($"/api/events/{mine.Event.Id}/tickets"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.PostAsync($"/api/events/{mine.Event.Id}/tickets", body), HttpStatusCode.NotFound);

        // The stranger's own event, with the owner's series named in the body: as if it did not exist.
        var foreignSeries = await ApiClient.ProblemAsync(
            await stranger.PostAsync($"/api/events/{theirs.Event.Id}/tickets", new { externalId = "X-2", source = "shop", ticketType = "general", seriesIds = new[] { mine.Series.Id } }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["seriesIds"], Fields(foreignSeries));

        // The owner's ticket, exchanged for the stranger's wristband, or moved to the stranger's series.
        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/tickets/{ticket.Id}/exchange", new { nfcId = theirBand.NfcId }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await owner.PutAsync($"/api/tickets/{ticket.Id}", new { externalId = "O-1", source = "shop", ticketType = "general", seriesIds = new[] { theirs.Series.Id } }), HttpStatusCode.BadRequest);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task AViewer_SeesTicketsWithoutTheHoldersPersonalData_AndMayNotSearchByHolder()
    {
        var tenant = await fixture.NewTenantAsync("Ticket Privacy");
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(owner, general: 1, vip: 0);
        var ticket = await owner.PostOkAsync<TicketView>($"/api/events/{s.Event.Id}/tickets", new
        {
            externalId = "V-1", source = "shop", holderName = "Vera Private", holderEmail = "vera@example.org", ticketType = "general",
        });
        var viewer = await owner.PostOkAsync<EventSeries.Organizations.MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Viv Viewer", role = "viewer" });
        var token = await owner.PostOkAsync<EventSeries.Organizations.IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{viewer.UserId}/tokens", new { name = "viv" });
        using var asViewer = fixture.Host.Client(token.Secret);

        var seen = await asViewer.GetOkAsync<TicketView>($"/api/tickets/{ticket.Id}");
        Assert.Equal(((string?)null, (string?)null, "V-1"), (seen.HolderName, seen.HolderEmail, seen.ExternalId));
        var listed = await (await asViewer.GetAsync($"/api/events/{s.Event.Id}/tickets")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(ticket.Id.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain("Vera", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("vera@example.org", listed, StringComparison.Ordinal);
        await ApiClient.ProblemAsync(await asViewer.GetAsync($"/api/events/{s.Event.Id}/tickets?holder=vera"), HttpStatusCode.Forbidden);
        Assert.Equal("Vera Private", (await owner.GetOkAsync<TicketView>($"/api/tickets/{ticket.Id}")).HolderName);
    }

    private static string[] Fields(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
