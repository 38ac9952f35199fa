using System.Net;
using EventSeries.Persistence.Imports;
using EventSeries.Persistence.Queries;

namespace EventSeries.Tests.Imports;

/// <summary>An event's imports, newest first: what an operator looks at to find the job of a file sent earlier.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class ImportListTests(ApiFixture fixture)
{
    [Fact]
    public async Task AnEventsImports_AreListedNewestFirst_ByKind_AndOnlyForItsOrganization()
    {
        var owner = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(owner.Token);
        using var stranger = fixture.Host.Client((await fixture.NewTenantAsync("Other Org")).Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var other = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var bands = await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("nfc_id,category", "L0001,general", "L0002,nope"));
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        var tickets = await ImportClient.ImportAsync(client, s.Event.Id, ImportClient.Csv("external_id,source,ticket_type", "L0001,shop,general"), kind: "tickets");
        await ImportClient.ImportAsync(client, other.Event.Id, ImportClient.Csv("nfc_id,category", "L0003,general"));
        var url = $"/api/events/{s.Event.Id}/imports";

        var all = await client.GetOkAsync<Page<ImportJobView>>(url);

        Assert.Equal([tickets.Id, bands.Id], all.Items.Select(j => j.Id));
        Assert.Equal(2L, all.Total);
        Assert.Equivalent(bands, all.Items[1], strict: true); // the same view as GET /api/imports/{id}, rejections included
        Assert.Equal([bands.Id], (await client.GetOkAsync<Page<ImportJobView>>($"{url}?kind=wristbands")).Items.Select(j => j.Id));
        Assert.Equal([tickets.Id], (await client.GetOkAsync<Page<ImportJobView>>($"{url}?kind=tickets&pageSize=1")).Items.Select(j => j.Id));
        Assert.Equal([bands.Id], (await client.GetOkAsync<Page<ImportJobView>>($"{url}?page=2&pageSize=1")).Items.Select(j => j.Id));

        var bad = await ApiClient.ProblemAsync(await client.GetAsync($"{url}?kind=spreadsheets"), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("kind", out _), bad.ToString());
        await ApiClient.ProblemAsync(await stranger.GetAsync(url), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/events/{Guid.NewGuid()}/imports"), HttpStatusCode.NotFound);
    }
}
