using System.Net;
using EventSeries.CheckIns;
using EventSeries.Organizations;
using EventSeries.Persistence.Queries;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Exports;

/// <summary>
/// <c>GET /api/series/{id}/checkins/export</c> over HTTP against PostgreSQL: the file holds exactly
/// the list's rows for the same filters, in CSV a spreadsheet cannot be tricked by and in NDJSON.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class CheckinExportTests(ApiFixture fixture)
{
    private static readonly string[] Header =
    [
        "id", "series_id", "wristband_id", "nfc_id", "category", "gate_id", "direction", "result", "reason", "detail", "message",
        "scan_id", "scanned_at", "at", "actor_user_id", "annuls",
    ];

    [Fact]
    public async Task TheExport_InCsvAndNdjson_HoldsExactlyTheListsRows_ForEachFilter()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 3, vip: 1);
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        var middle = fixture.Clock.GetUtcNow();
        await g.ScanAsync(g.Wristbands[3].NfcId, g.Vip);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        await g.ScanAsync(g.Wristbands[1].NfcId, g.Vip);
        await g.ScanAsync(g.Wristbands[1].NfcId, direction: "out");
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        var late = fixture.Clock.GetUtcNow();
        await g.ScanAsync(g.Wristbands[2].NfcId);
        await g.VerifyAsync("NOBODY-KNOWS-ME");

        var filters = new Dictionary<string, int>
        {
            [""] = 7,
            ["result=denied"] = 4,
            ["result=allowed"] = 3,
            [$"gateId={g.Vip.Id}"] = 2,
            ["reason=already_inside"] = 1,
            [$"from={Uri.EscapeDataString(middle.ToString("O"))}&to={Uri.EscapeDataString(late.ToString("O"))}"] = 3,
            [$"gateId={g.Main.Id}&result=denied&from={Uri.EscapeDataString(middle.ToString("O"))}"] = 2,
        };
        foreach (var (query, expected) in filters)
        {
            var list = await client.GetOkAsync<Page<CheckinLogEntry>>($"/api/series/{g.Series.Id}/checkins?pageSize=500&{query}");
            Assert.True(list.Total == expected, $"{query}: the list has {list.Total} rows");

            var csv = await ExportFiles.ReadCsvAsync(await ExportFiles.DownloadAsync(
                client, $"/api/series/{g.Series.Id}/checkins/export?format=csv&{query}", "text/csv", $"series-{g.Series.Id}-checkins.csv"));
            Assert.Equal(Header, csv[0]);
            Assert.Equal(list.Items, csv.Skip(1).Select(ExportFiles.ToCheckin).ToList());

            var ndjson = ExportFiles.ReadNdjson<CheckinLogEntry>(await ExportFiles.DownloadAsync(
                client, $"/api/series/{g.Series.Id}/checkins/export?format=ndjson&{query}", "application/x-ndjson", $"series-{g.Series.Id}-checkins.ndjson"));
            Assert.Equal(list.Items, ndjson);
        }
    }

    [Fact]
    public async Task TextCells_AreQuotedPerRfc4180_AndFormulasAreEscaped_WhileNdjsonKeepsTheValues()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());

        // Unknown wristbands are logged with the UID exactly as the scanner sent it (any printable
        // ASCII); verified against the series, their rows belong to it.
        string[] hostile = ["=HYPERLINK(\"http://evil.example/\",\"x\")", "+1+2", "-3+4", "@SUM(A1:A9)", "a,b\"c"];
        foreach (var nfcId in hostile)
        {
            Assert.Equal(ScanReasons.UnknownWristband, (await g.VerifyAsync(nfcId)).Reason);
        }

        var text = await ExportFiles.DownloadAsync(client, $"/api/series/{g.Series.Id}/checkins/export?format=csv", "text/csv", $"series-{g.Series.Id}-checkins.csv");

        // Raw text: the formula gets a leading apostrophe inside a quoted cell whose quotes are doubled.
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",", text, StringComparison.Ordinal);
        Assert.Contains(",\"a,b\"\"c\",", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var records = await ExportFiles.ReadCsvAsync(text);
        Assert.All(records, r => Assert.Equal(Header.Length, r.Length));
        var cells = records.Skip(1).Select(r => r[3]).ToHashSet();
        string[] escaped = ["'=HYPERLINK(\"http://evil.example/\",\"x\")", "'+1+2", "'-3+4", "'@SUM(A1:A9)", "a,b\"c"];
        Assert.Equal(escaped.Order(StringComparer.Ordinal), cells.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(records.SelectMany(r => r), cell => cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal));

        var json = ExportFiles.ReadNdjson<CheckinLogEntry>(await ExportFiles.DownloadAsync(
            client, $"/api/series/{g.Series.Id}/checkins/export?format=ndjson", "application/x-ndjson", $"series-{g.Series.Id}-checkins.ndjson"));
        Assert.Equal(hostile.Order(StringComparer.Ordinal), json.Select(e => e.NfcId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AViewer_ExportsTheSameRowsAsAMember_AndNeitherFileHoldsHoldersPersonalData()
    {
        var tenant = await fixture.NewTenantAsync("Export Privacy Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow());
        var holder = (await owner.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{g.Event.Id}/wristbands", new
        {
            wristbands = new[] { new { nfcId = "HOLDER-" + g.Event.Id.ToString("N")[..8], category = "general", holderName = "Hanna Holder", holderEmail = "hanna@example.org" } },
        }))[0];
        await owner.PostOkAsync<AssignmentResult>($"/api/series/{g.Series.Id}/wristbands/bulk", new { wristbandIds = new[] { holder.Id } }, HttpStatusCode.OK);
        Assert.True((await g.ScanAsync(holder.NfcId)).Allowed);
        using var viewer = await MemberClientAsync(owner, tenant.OrganizationId, "viewer");
        using var member = await MemberClientAsync(owner, tenant.OrganizationId, "member");
        Assert.Equal("hanna@example.org", (await member.GetOkAsync<WristbandView>($"/api/wristbands/{holder.Id}")).HolderEmail);

        foreach (var format in new[] { "csv", "ndjson" })
        {
            var url = $"/api/series/{g.Series.Id}/checkins/export?format={format}";
            var mediaType = format == "csv" ? "text/csv" : "application/x-ndjson";
            var asViewer = await ExportFiles.DownloadAsync(viewer, url, mediaType, $"series-{g.Series.Id}-checkins.{format}");
            var asMember = await ExportFiles.DownloadAsync(member, url, mediaType, $"series-{g.Series.Id}-checkins.{format}");
            Assert.Equal(asMember, asViewer);
            Assert.Contains(holder.NfcId, asViewer, StringComparison.Ordinal);
            Assert.DoesNotContain("Hanna", asMember, StringComparison.Ordinal);
            Assert.DoesNotContain("hanna@example.org", asMember, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RefusedExports_AreProblemDetails_AndChangeNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());
        await g.ScanAsync(g.Wristbands[0].NfcId);
        using var stranger = fixture.Host.Client((await fixture.NewTenantAsync("Export Stranger Org")).Token);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var badFormat = await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{g.Series.Id}/checkins/export?format=xlsx"), HttpStatusCode.BadRequest);
        Assert.True(badFormat.GetProperty("errors").TryGetProperty("format", out _));
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{g.Series.Id}/checkins/export"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{g.Series.Id}/checkins/export?format=csv&result=maybe"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{g.Series.Id}/checkins/export?format=csv&from=yesterday"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{g.Series.Id}/metrics/export?format=pdf"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await stranger.GetAsync($"/api/series/{g.Series.Id}/checkins/export?format=csv"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.GetAsync($"/api/series/{g.Series.Id}/metrics/export?format=csv"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{Guid.NewGuid()}/checkins/export?format=ndjson"), HttpStatusCode.NotFound);

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task WithoutFormat_TheAcceptHeaderChooses()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());
        await g.ScanAsync(g.Wristbands[0].NfcId);
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/series/{g.Series.Id}/checkins/export");
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(g.Wristbands[0].NfcId, Assert.Single(ExportFiles.ReadNdjson<CheckinLogEntry>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))).NfcId);
    }

    private async Task<ApiClient> MemberClientAsync(ApiClient owner, Guid organizationId, string role)
    {
        var person = await owner.PostOkAsync<MemberView>($"/api/organizations/{organizationId}/members", new { displayName = $"Export {role}", role });
        var token = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{organizationId}/members/{person.UserId}/tokens", new { name = role });
        return fixture.Host.Client(token.Secret);
    }
}
