using System.Net;
using EventSeries.CheckIns;
using EventSeries.Persistence.Imports;
using EventSeries.Series;

namespace EventSeries.Tests.Imports;

/// <summary>
/// Wristband files over HTTP: streamed in, merged by NFC UID, idempotent, rows rejected with their
/// line numbers, all or nothing on request, series assigned from a column, and the gates told.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class WristbandImportTests(ApiFixture fixture)
{
    [Fact]
    public async Task ACsvFile_CreatesItsWristbands_AndImportingItAgainChangesNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var file = ImportClient.Csv(
            "nfc_id,category,holder_name,holder_email",
            "A0001,general,Anna Adler,anna@example.org",
            "A0002,vip,,",
            "\"A0003\",general,\"Brandt, Bert\",");

        var first = await ImportClient.ImportAsync(client, s.Event.Id, file);

        Assert.Equal(("completed", 3L, 3L, 0L, 0L, 0L), (first.Status, first.RowsRead, first.Created, first.Updated, first.Unchanged, first.Rejected));
        Assert.Equal(
            "A0001 general active Anna Adler anna@example.org|A0002 vip active  |A0003 general active Brandt, Bert ",
            await Db.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT string_agg(concat_ws(' ', nfc_id, category, status, coalesce(holder_name, ''), coalesce(holder_email, '')), '|' ORDER BY nfc_id) FROM wristbands WHERE event_id = @e AND nfc_id LIKE 'A%'",
                ("e", s.Event.Id)));
        var before = await RowsAsync(s.Event.Id);

        var again = await ImportClient.ImportAsync(client, s.Event.Id, file);

        Assert.Equal(("completed", 3L, 0L, 0L, 3L), (again.Status, again.RowsRead, again.Created, again.Updated, again.Unchanged));
        Assert.Equal(before, await RowsAsync(s.Event.Id));
    }

    [Fact]
    public async Task AChangedRow_UpdatesItsWristband_AndEveryGateKnowsWithinASecond()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());
        var band = g.Wristbands[0];
        Assert.True((await g.ScanAsync(band.NfcId)).Allowed); // its gate memory now holds it as active
        Assert.True((await g.ScanAsync(band.NfcId, direction: "out")).Allowed);

        var job = await ImportClient.ImportAsync(client, g.Event.Id, ImportClient.Csv("nfc_id,category,status", $"{band.NfcId},general,lost"));

        Assert.Equal((0L, 1L), (job.Created, job.Updated));
        await ImportClient.WristbandChangesReachedGatesAsync(fixture.Host, g.Event.Id);
        var denied = await g.ScanAsync(band.NfcId);
        Assert.Equal((false, ScanReasons.WristbandInactive), (denied.Allowed, denied.Reason));
    }

    [Fact]
    public async Task MalformedRows_AreReportedWithTheirLines_AndTheValidOnesImported()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var file = ImportClient.Csv(
            "nfc_id,category,status,series",
            "B0001,general,,",
            "has space,general,,",
            "B0002,backstage,,",
            "B0003,general,sleeping,",
            "B0001,general,,",
            "B0004,general,,Day 9",
            "B0005,general,inactive,Day 1");

        var job = await ImportClient.ImportAsync(client, s.Event.Id, file);

        Assert.Equal(("completed", 7L, 2L, 5L, 1L), (job.Status, job.RowsRead, job.Created, job.Rejected, job.Assigned));
        Assert.Equal([3L, 4L, 5L, 6L, 7L], job.Rejections.Select(r => r.Line));
        Assert.Contains("printable ASCII", job.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("unknown category backstage", job.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("status 'sleeping'", job.Rejections[2].Reason, StringComparison.Ordinal);
        Assert.Contains("repeats line 2", job.Rejections[3].Reason, StringComparison.Ordinal);
        Assert.Contains("unknown series Day 9", job.Rejections[4].Reason, StringComparison.Ordinal);
        Assert.Equal("B0001,B0005", await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT string_agg(nfc_id, ',' ORDER BY nfc_id) FROM wristbands WHERE event_id = @e AND nfc_id LIKE 'B%'", ("e", s.Event.Id)));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_wristband_assignments a JOIN wristbands w ON w.id = a.wristband_id WHERE a.series_id = @s AND w.nfc_id = 'B0005'", ("s", s.Series.Id)));
        Assert.Equal(1, (await s.ReloadAsync()).Categories.Single(c => c.Category == "general").Assigned);
    }

    [Fact]
    public async Task AllOrNothing_WritesNothing_WhenAnyRowIsRejected()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var before = await RowsAsync(s.Event.Id);

        var job = await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("nfc_id,category", "C0001,general", "C0002,nope"), mode: "all_or_nothing");

        Assert.Equal(("failed", 1L, 0L), (job.Status, job.Rejected, job.Created));
        Assert.Equal(3L, job.Rejections.Single().Line);
        Assert.Contains("all_or_nothing", job.Error, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(s.Event.Id));
    }

    [Fact]
    public async Task AnNdjsonFile_AssignsTheSeriesItNames_AndTheFirstScanOfAnImportedBandIsAllowed()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());
        var file = ImportClient.Lines([
            """{"nfcId":"N0001","category":"general","holderName":"Nora","series":["Day 1"]}""",
            "",
            $$"""{"nfcId":"N0002","category":"vip","series":"{{g.Series.Id}}"}""",
            """{"nfcId":"N0003","category":"general"}""",
            """{"nfcId":42,"category":"general"}""",
            """not json""",
        ]);

        var job = await ImportClient.ImportAsync(client, g.Event.Id, file, format: "ndjson");

        Assert.Equal(("completed", 3L, 2L, 2L), (job.Status, job.Created, job.Assigned, job.Rejected));
        Assert.Equal([5L, 6L], job.Rejections.Select(r => r.Line));
        Assert.True((await g.ScanAsync("N0001")).Allowed);
        Assert.True((await g.ScanAsync("N0002", g.Vip)).Allowed);
        Assert.Equal(ScanReasons.NotAssigned, (await g.ScanAsync("N0003")).Reason);
    }

    [Fact]
    public async Task AssignAll_AssignsACategoryOrAnImport_WithinLimits_AllOrNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 2, vip: 3, vipLimit: 2);
        var url = $"/api/series/{s.Series.Id}/wristbands/assign-all";

        var refused = await client.PostAsync(url, new { category = "vip" });
        await ApiClient.ProblemAsync(refused, HttpStatusCode.Conflict, "category_limit");
        Assert.Equal(0, (await s.ReloadAsync()).Categories.Single(c => c.Category == "vip").Assigned);

        var general = await client.PostOkAsync<AssignmentResult>(url, new { category = "general" }, HttpStatusCode.OK);
        Assert.Equal((2, 0), (general.Assigned, general.AlreadyAssigned));
        var twice = await client.PostOkAsync<AssignmentResult>(url, new { category = "general" }, HttpStatusCode.OK);
        Assert.Equal((0, 2), (twice.Assigned, twice.AlreadyAssigned));

        var job = await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("nfc_id,category", "D0001,general", "D0002,general"));
        var imported = await client.PostOkAsync<AssignmentResult>(url, new { importId = job.Id }, HttpStatusCode.OK);
        Assert.Equal((2, 0), (imported.Assigned, imported.AlreadyAssigned));
        Assert.Equal(4, (await s.ReloadAsync()).Categories.Single(c => c.Category == "general").Assigned);

        await ApiClient.ProblemAsync(await client.PostAsync(url, new { category = "backstage" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherOrganization_CannotImportIntoAnEvent_SeeItsJob_OrAssignItsImport()
    {
        var owner = await fixture.NewTenantAsync();
        var stranger = await fixture.NewTenantAsync("Other Org");
        using var client = fixture.Host.Client(owner.Token);
        using var other = fixture.Host.Client(stranger.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var theirs = await Scenario.CreateAsync(other, general: 1, vip: 0);
        var job = await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("nfc_id,category", "E0001,general"));
        var before = await RowsAsync(s.Event.Id);

        await ApiClient.ProblemAsync(await ImportClient.UploadAsync(other, s.Event.Id, ImportClient.Csv("nfc_id,category", "E0002,general")), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await other.GetAsync($"/api/imports/{job.Id}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(
            await other.PostAsync($"/api/series/{theirs.Series.Id}/wristbands/assign-all", new { importId = job.Id }), HttpStatusCode.NotFound);

        Assert.Equal(before, await RowsAsync(s.Event.Id));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_wristband_assignments WHERE series_id = @s", ("s", theirs.Series.Id)));
    }

    [Fact]
    public async Task AnUnreadableFile_IsRefusedWithProblemDetails_AndWritesNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var before = await RowsAsync(s.Event.Id);

        var noHeader = await ApiClient.ProblemAsync(await ImportClient.UploadAsync(client, s.Event.Id, ImportClient.Csv("uid,kind", "F0001,general")), HttpStatusCode.BadRequest);
        Assert.Contains("nfc_id", noHeader.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        await ApiClient.ProblemAsync(
            await client.SendRawAsync(HttpMethod.Post, $"/api/events/{s.Event.Id}/wristbands/import", "nfc_id,category\n", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await ApiClient.ProblemAsync(await ImportClient.UploadAsync(client, s.Event.Id, "nfc_id,category\n", mode: "sometimes"), HttpStatusCode.BadRequest);

        Assert.Equal(before, await RowsAsync(s.Event.Id));
    }

    private Task<string?> RowsAsync(Guid eventId) => Db.ScalarAsync<string>(fixture.ConnectionString,
        "SELECT md5(string_agg(concat_ws(',', id, nfc_id, category, status, holder_name, holder_email, updated_at, import_id), '|' ORDER BY nfc_id)) FROM wristbands WHERE event_id = @e",
        ("e", eventId));
}
