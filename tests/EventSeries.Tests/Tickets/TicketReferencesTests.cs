using System.Net;
using EventSeries.Series;
using EventSeries.Tests.Imports;
using EventSeries.Tickets;
using Npgsql;

namespace EventSeries.Tests.Tickets;

/// <summary>
/// What the foreign keys of tickets and series_tickets kept, now kept by statement-level triggers
/// (0160_ticket_bulk_references.sql): a ticket's event, organization and type exist together, and
/// deleting an event or a series takes its tickets or their series with it.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class TicketReferencesTests(ApiFixture fixture)
{
    [Fact]
    public async Task DeletingAnEvent_DeletesItsTickets_PairedAndImported_WithTheirSeries_AndNoOtherEventsTickets()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var other = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var paired = await client.PostOkAsync<TicketView>($"/api/events/{s.Event.Id}/tickets", new
        {
            externalId = "C0001", source = "shop", ticketType = "general", seriesIds = new[] { s.Series.Id },
        });
        await client.PostOkAsync<TicketView>($"/api/tickets/{paired.Id}/exchange", new { nfcId = s.Wristbands[0].NfcId }, HttpStatusCode.OK);
        await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type,series", "C0002,shop,vip,Day 1", "C0003,shop,general,"), kind: "tickets");
        await ImportClient.ImportAsync(client, other.Event.Id, ImportClient.Csv("external_id,source,ticket_type,series", "C0002,shop,vip,Day 1"), kind: "tickets");
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM tickets WHERE event_id = @e", s.Event.Id));

        var deleted = await client.DeleteAsync($"/api/events/{s.Event.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM tickets WHERE event_id = @e", s.Event.Id));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM series_tickets WHERE series_id = @e", s.Series.Id));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM wristbands WHERE event_id = @e", s.Event.Id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM series_tickets st JOIN tickets t ON t.id = st.ticket_id WHERE t.event_id = @e", other.Event.Id));
    }

    [Fact]
    public async Task DeletingASeries_DeletesItsTicketsSeries_NotTheTickets()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var day2 = await client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = s.Event.Id, name = "Day 2", startsAt = Scenario.Start.AddDays(1), endsAt = Scenario.Start.AddDays(1).AddHours(8),
        });
        await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type,series", "D0001,shop,general,Day 1|Day 2"), kind: "tickets");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/series/{day2.Id}")).StatusCode);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM series_tickets WHERE series_id = @e", day2.Id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM series_tickets WHERE series_id = @e", s.Series.Id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM tickets WHERE event_id = @e", s.Event.Id));
    }

    [Fact]
    public async Task ATicketOfAnotherOrganization_OrOfATypeTheEventLacks_OrASeriesOfAnotherEvent_IsRefusedByTheDatabase()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var other = await Scenario.CreateAsync(client, general: 1, vip: 0);
        const string insert =
            """
            INSERT INTO tickets (id, organization_id, event_id, external_id, source, ticket_type, status, created_at, updated_at)
            VALUES (gen_random_uuid(), @o, @e, @x, 'shop', @t, 'valid', now(), now())
            """;

        await AssertRefusedAsync(insert, ("o", Guid.NewGuid()), ("e", s.Event.Id), ("x", "R1"), ("t", "general"));
        await AssertRefusedAsync(insert, ("o", s.Event.OrganizationId), ("e", s.Event.Id), ("x", "R2"), ("t", "backstage"));
        await AssertRefusedAsync(insert, ("o", s.Event.OrganizationId), ("e", Guid.NewGuid()), ("x", "R3"), ("t", "general"));
        await ImportClient.ImportAsync(client, other.Event.Id, ImportClient.Csv("external_id,source,ticket_type", "R4,shop,general"), kind: "tickets");
        await AssertRefusedAsync(
            "INSERT INTO series_tickets (series_id, ticket_id) SELECT @s, id FROM tickets WHERE event_id = @e", ("s", s.Series.Id), ("e", other.Event.Id));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM tickets WHERE event_id = @e", s.Event.Id));
    }

    private async Task AssertRefusedAsync(string sql, params (string Name, object Value)[] args)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Db.ExecuteAsync(fixture.ConnectionString, sql, args));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }

    private Task<long> CountAsync(string sql, Guid id) => Db.CountAsync(fixture.ConnectionString, sql, ("e", id));
}
