using System.Net;
using EventSeries.CheckIns;
using EventSeries.Persistence.Imports;
using EventSeries.Series;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Imports;

/// <summary>
/// Ticket files over HTTP: merged by source and external id, idempotent, rows rejected with their
/// line numbers, all or nothing on request, series added from a column, tenancy kept, and a paired
/// wristband's gate memory told when the import changed its ticket's status.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class TicketImportTests(ApiFixture fixture)
{
    [Fact]
    public async Task ACsvFile_CreatesItsTickets_AndImportingItAgainChangesNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var file = ImportClient.Csv(
            "external_id,source,ticket_type,status,holder_name,holder_email",
            "T0001,shop,general,,Anna Adler,anna@example.org",
            "T0002,shop,vip,pending,,",
            "\"T0001\",box office,general,used,\"Brandt, Bert\",");

        var first = await ImportAsync(client, s.Event.Id, file);

        Assert.Equal(("completed", 3L, 3L, 0L, 0L, 0L), (first.Status, first.RowsRead, first.Created, first.Updated, first.Unchanged, first.Rejected));
        Assert.Equal(
            "box office T0001 general used Brandt, Bert |shop T0001 general valid Anna Adler anna@example.org|shop T0002 vip pending  ",
            await Db.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT string_agg(concat_ws(' ', source, external_id, ticket_type, status, coalesce(holder_name, ''), coalesce(holder_email, '')), '|' ORDER BY source, external_id) FROM tickets WHERE event_id = @e",
                ("e", s.Event.Id)));
        var before = await RowsAsync(s.Event.Id);

        var again = await ImportAsync(client, s.Event.Id, file);

        Assert.Equal(("completed", 3L, 0L, 0L, 3L), (again.Status, again.RowsRead, again.Created, again.Updated, again.Unchanged));
        Assert.Equal(before, await RowsAsync(s.Event.Id));
        Assert.Equal(2, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = 'tickets.import' AND organization_id = @o", ("o", s.Event.OrganizationId)));
    }

    [Fact]
    public async Task AChangedRow_UpdatesItsTicket_WhichTheApiThenShowsAndChanges()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        await ImportAsync(client, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type,holder_name", "U0001,shop,general,Uta"));
        var id = await IdOfAsync(s.Event.Id, "U0001");
        Assert.Equal(("Uta", TicketStatus.Valid), await ReadAsync(client, id)); // the ticket's grain is active now

        var job = await ImportAsync(client, s.Event.Id, ImportClient.Csv(
            "external_id,source,ticket_type,status,holder_name,holder_email", "U0001,shop,vip,used,,uta@example.org"));

        Assert.Equal((0L, 1L), (job.Created, job.Updated));
        var read = await client.GetOkAsync<TicketView>($"/api/tickets/{id}");
        Assert.Equal(("vip", TicketStatus.Used, "Uta", "uta@example.org"), (read.TicketType, read.Status, read.HolderName, read.HolderEmail));

        // A change through the API starts from the imported row, not from what its grain saw first.
        var changed = await client.PutOkAsync<TicketView>($"/api/tickets/{id}", new
        {
            externalId = "U0001", source = "shop", ticketType = read.TicketType, status = "valid", holderName = "Uta U.", holderEmail = read.HolderEmail,
        });
        Assert.Equal(("vip", TicketStatus.Valid, "Uta U.", "uta@example.org"), (changed.TicketType, changed.Status, changed.HolderName, changed.HolderEmail));
        Assert.Equal(("Uta U.", TicketStatus.Valid), await ReadAsync(client, id));
    }

    [Fact]
    public async Task MalformedRows_AreReportedWithTheirLines_AndTheValidOnesImported()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var file = ImportClient.Csv(
            "external_id,source,ticket_type,status,holder_email,series",
            "M0001,shop,general,,,",
            ",shop,general,,,",
            "M0002,shop,backstage,,,",
            "M0003,shop,general,sleeping,,",
            "M0001,shop,general,,,",
            "M0004,shop,general,,,Day 9",
            "M0005,shop,general,,not-an-address,",
            "M0006,,general,,,",
            "M0007,shop,general,void,,Day 1");

        var job = await ImportAsync(client, s.Event.Id, file);

        Assert.Equal(("completed", 9L, 2L, 7L, 1L), (job.Status, job.RowsRead, job.Created, job.Rejected, job.Assigned));
        Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L, 9L], job.Rejections.Select(r => r.Line));
        Assert.Contains("external_id is missing", job.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("unknown ticket_type backstage", job.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("status 'sleeping'", job.Rejections[2].Reason, StringComparison.Ordinal);
        Assert.Contains("repeats line 2", job.Rejections[3].Reason, StringComparison.Ordinal);
        Assert.Contains("unknown series Day 9", job.Rejections[4].Reason, StringComparison.Ordinal);
        Assert.Contains("holder_email", job.Rejections[5].Reason, StringComparison.Ordinal);
        Assert.Contains("source is missing", job.Rejections[6].Reason, StringComparison.Ordinal);
        Assert.Equal("M0001 valid,M0007 void", await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT string_agg(external_id || ' ' || status, ',' ORDER BY external_id) FROM tickets WHERE event_id = @e", ("e", s.Event.Id)));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_tickets st JOIN tickets t ON t.id = st.ticket_id WHERE st.series_id = @s AND t.external_id = 'M0007'", ("s", s.Series.Id)));
    }

    [Fact]
    public async Task AllOrNothing_WritesNothing_WhenAnyRowIsRejected()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var job = await ImportAsync(client, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type", "A0001,shop,general", "A0002,shop,nope"), mode: "all_or_nothing");

        Assert.Equal(("failed", 1L, 0L), (job.Status, job.Rejected, job.Created));
        Assert.Equal(3L, job.Rejections.Single().Line);
        Assert.Contains("all_or_nothing", job.Error, StringComparison.Ordinal);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task AnNdjsonFile_AddsTheSeriesItNames_ButNoEndedOne()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var day2 = await client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = s.Event.Id, name = "Day 2", startsAt = Scenario.Start.AddDays(1), endsAt = Scenario.Start.AddDays(1).AddHours(8),
        });
        var gone = await client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = s.Event.Id, name = "Day 0", startsAt = Scenario.Start.AddDays(-1), endsAt = Scenario.Start.AddDays(-1).AddHours(8),
        });
        await client.PostOkAsync<SeriesTransition>($"/api/series/{gone.Id}/transitions", new { to = "cancelled" });
        var file = ImportClient.Lines([
            """{"externalId":"N0001","source":"shop","ticketType":"general","holderName":"Nora","series":["Day 1","Day 2"]}""",
            "",
            $$"""{"externalId":"N0002","source":"shop","ticketType":"vip","series":"{{day2.Id}}"}""",
            """{"externalId":"N0003","source":"shop","ticketType":"general","series":"Day 0"}""",
            """{"externalId":42,"source":"shop","ticketType":"general"}""",
        ]);

        var job = await ImportAsync(client, s.Event.Id, file, format: "ndjson");

        Assert.Equal(("completed", 2L, 3L, 2L), (job.Status, job.Created, job.Assigned, job.Rejected));
        Assert.Equal([4L, 5L], job.Rejections.Select(r => r.Line));
        Assert.Contains("series Day 0 has ended", job.Rejections[0].Reason, StringComparison.Ordinal);
        var n1 = await client.GetOkAsync<TicketView>($"/api/tickets/{await IdOfAsync(s.Event.Id, "N0001")}");
        Assert.Equal(new[] { s.Series.Id, day2.Id }.Order(), n1.SeriesIds.Order());
        Assert.Equal("Nora", n1.HolderName);

        // Again, with one more series for N0002: only that one is added, the rest stays.
        var more = await ImportAsync(client, s.Event.Id, ImportClient.Lines([
            """{"externalId":"N0002","source":"shop","ticketType":"vip","series":["Day 1"]}""",
        ]), format: "ndjson");
        Assert.Equal((0L, 0L, 1L, 1L), (more.Created, more.Updated, more.Unchanged, more.Assigned));
        Assert.Equal(2, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_tickets st JOIN tickets t ON t.id = st.ticket_id WHERE t.event_id = @e AND t.external_id = 'N0002'", ("e", s.Event.Id)));
    }

    [Fact]
    public async Task AnotherOrganization_CannotImportIntoAnEvent_OrSeeItsJob()
    {
        var owner = await fixture.NewTenantAsync();
        var stranger = await fixture.NewTenantAsync("Other Org");
        using var client = fixture.Host.Client(owner.Token);
        using var other = fixture.Host.Client(stranger.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var job = await ImportAsync(client, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type", "O0001,shop,general"));
        var before = await RowsAsync(s.Event.Id);

        await ApiClient.ProblemAsync(
            await ImportClient.UploadAsync(other, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type,status", "O0001,shop,general,void"), kind: "tickets"),
            HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await other.GetAsync($"/api/imports/{job.Id}"), HttpStatusCode.NotFound);

        Assert.Equal(before, await RowsAsync(s.Event.Id));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM import_jobs WHERE event_id = @e", ("e", s.Event.Id)));
    }

    [Fact]
    public async Task AnImportVoidingAPairedTicket_DeniesItsBandsNextScan_WithTicketVoid()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var band = g.Unassigned;
        var bystander = g.Wristbands[0];
        var ticket = await client.PostOkAsync<TicketView>($"/api/events/{g.Event.Id}/tickets", new
        {
            externalId = "P0001", source = "shop", ticketType = "general", seriesIds = new[] { g.Series.Id },
        });
        await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = band.NfcId }, HttpStatusCode.OK);
        Assert.True((await g.ScanAsync(band.NfcId)).Allowed); // its gate memory now holds the ticket as valid
        Assert.True((await g.ScanAsync(band.NfcId, direction: "out")).Allowed);

        var job = await ImportAsync(client, g.Event.Id, ImportClient.Csv("external_id,source,ticket_type,status", "P0001,shop,general,void"));

        Assert.Equal((0L, 1L), (job.Created, job.Updated));
        await ImportClient.WristbandChangesReachedGatesAsync(fixture.Host, g.Event.Id);
        var denied = await g.ScanAsync(band.NfcId);
        Assert.Equal((false, ScanReasons.TicketVoid, "void"), (denied.Allowed, denied.Reason, denied.Detail));
        Assert.True((await g.ScanAsync(bystander.NfcId)).Allowed, "a band without a ticket is not affected");
    }

    [Fact]
    public async Task AnImportChangingAPairedTicketsHolder_ChangesItsBandsHolderToo()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var ticket = await client.PostOkAsync<TicketView>($"/api/events/{g.Event.Id}/tickets", new
        {
            externalId = "H0001", source = "shop", ticketType = "general", holderName = "Old Name", seriesIds = new[] { g.Series.Id },
        });
        await client.PostOkAsync<TicketView>($"/api/tickets/{ticket.Id}/exchange", new { nfcId = g.Unassigned.NfcId }, HttpStatusCode.OK);
        const string holderOf = "SELECT concat_ws('|', holder_name, holder_email) FROM wristbands WHERE nfc_id = @nfc AND event_id = @e";

        var job = await ImportAsync(client, g.Event.Id, ImportClient.Csv(
            "external_id,source,ticket_type,holder_name,holder_email", "H0001,shop,general,New Name,new@example.org", "H0002,shop,general,Someone Else,"));

        Assert.Equal((1L, 1L), (job.Created, job.Updated));
        Assert.Equal("New Name|new@example.org", await Db.ScalarAsync<string>(fixture.ConnectionString, holderOf, ("nfc", g.Unassigned.NfcId), ("e", g.Event.Id)));
        Assert.Equal("", await Db.ScalarAsync<string>(fixture.ConnectionString, holderOf, ("nfc", g.Wristbands[0].NfcId), ("e", g.Event.Id)));
    }

    [Fact]
    public async Task ChangesThePairedOrFinalTicketMayNotTake_AreRejectedRows()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var paired = await client.PostOkAsync<TicketView>($"/api/events/{s.Event.Id}/tickets", new { externalId = "Q0001", source = "shop", ticketType = "general" });
        await client.PostOkAsync<TicketView>($"/api/tickets/{paired.Id}/exchange", new { nfcId = s.Wristbands[0].NfcId }, HttpStatusCode.OK);
        await ImportAsync(client, s.Event.Id, ImportClient.Csv(
            "external_id,source,ticket_type,status", "Q0002,shop,general,refunded", "Q0003,shop,general,void", "Q0004,shop,general,refunded"));
        var before = await RowsAsync(s.Event.Id);

        var job = await ImportAsync(client, s.Event.Id, ImportClient.Csv(
            "external_id,source,ticket_type,status,holder_name",
            "Q0001,shop,vip,,",
            "Q0001,box,general,,",
            "Q0002,shop,general,valid,",
            "Q0003,shop,general,,Quentin",
            "Q0004,shop,general,refunded,"));

        Assert.Equal((1L, 0L, 1L, 3L), (job.Created, job.Updated, job.Unchanged, job.Rejected));
        Assert.Equal([2L, 4L, 5L], job.Rejections.Select(r => r.Line));
        Assert.Contains("paired with a wristband", job.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("is refunded and cannot change", job.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Equal(before, await Db.ScalarAsync<string>(fixture.ConnectionString,
            $"{RowsSql} AND NOT (source = 'box')", ("e", s.Event.Id)));
        Assert.Equal("general", (await client.GetOkAsync<TicketView>($"/api/tickets/{paired.Id}")).TicketType);
        Assert.Equal(WristbandStatus.Active, (await client.GetOkAsync<WristbandView>($"/api/wristbands/{s.Wristbands[0].Id}")).Status);
    }

    [Fact]
    public async Task AnUnreadableFile_IsRefusedWithProblemDetails_AndWritesNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var noHeader = await ApiClient.ProblemAsync(
            await ImportClient.UploadAsync(client, s.Event.Id, ImportClient.Csv("external_id,ticket_type", "X0001,general"), kind: "tickets"), HttpStatusCode.BadRequest);

        Assert.Contains("external_id, source and ticket_type", noHeader.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(Db.WithoutAudit(before), Db.WithoutAudit(await Db.FingerprintAsync(fixture.ConnectionString)));
    }

    private const string RowsSql =
        "SELECT md5(string_agg(concat_ws(',', id, source, external_id, ticket_type, status, holder_name, holder_email, wristband_id, updated_at, import_id), '|' ORDER BY source, external_id)) FROM tickets WHERE event_id = @e";

    private static Task<ImportJobView> ImportAsync(ApiClient client, Guid eventId, string body, string format = "csv", string? mode = null) =>
        ImportClient.ImportAsync(client, eventId, body, format, mode, kind: "tickets");

    private async Task<Guid> IdOfAsync(Guid eventId, string externalId) =>
        await Db.ScalarAsync<Guid>(fixture.ConnectionString, "SELECT id FROM tickets WHERE event_id = @e AND external_id = @x", ("e", eventId), ("x", externalId));

    private static async Task<(string? HolderName, TicketStatus Status)> ReadAsync(ApiClient client, Guid ticketId)
    {
        var ticket = await client.GetOkAsync<TicketView>($"/api/tickets/{ticketId}");
        return (ticket.HolderName, ticket.Status);
    }

    private Task<string?> RowsAsync(Guid eventId) => Db.ScalarAsync<string>(fixture.ConnectionString, RowsSql, ("e", eventId));
}
