using System.Net;
using EventSeries.Persistence.Queries;

namespace EventSeries.Tests.Api;

/// <summary>Another organization's resources answer 404, as if they did not exist, and change nothing.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class TenantIsolationTests(ApiFixture fixture)
{
    [Fact]
    public async Task EveryResourceOfAnotherOrganization_Answers404_AndNothingChanges()
    {
        var owner = await fixture.NewTenantAsync("Owner Org");
        var stranger = await fixture.NewTenantAsync("Stranger Org");
        using var ownerClient = fixture.Host.Client(owner.Token);
        using var client = fixture.Host.Client(stranger.Token);
        var s = await Scenario.CreateAsync(ownerClient);
        var series = $"/api/series/{s.Series.Id}";
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        string[] reads =
        [
            series, $"{series}/transitions", $"{series}/gates", $"{series}/categories", $"{series}/wristbands",
            $"/api/events/{s.Event.Id}", $"/api/events/{s.Event.Id}/gates", $"/api/events/{s.Event.Id}/categories",
            $"/api/events/{s.Event.Id}/wristbands", $"/api/wristbands/{s.Wristbands[0].Id}", $"/api/organizations/{owner.OrganizationId}",
            $"/api/organizations/{owner.OrganizationId}/members",
        ];
        foreach (var url in reads)
        {
            await ApiClient.ProblemAsync(await client.GetAsync(url), HttpStatusCode.NotFound);
        }

        (HttpMethod Method, string Url, object Body)[] writes =
        [
            (HttpMethod.Put, series, new { name = "x", startsAt = s.Series.StartsAt, endsAt = s.Series.EndsAt }),
            (HttpMethod.Post, $"{series}/transitions", new { to = "scheduled" }),
            (HttpMethod.Post, $"{series}/gates", new { gateIds = new[] { s.Vip.Id } }),
            (HttpMethod.Post, $"{series}/categories", new { limits = new[] { new { category = "vip", maxWristbands = 9 } } }),
            (HttpMethod.Post, $"{series}/wristbands", new { wristbandId = s.Wristbands[0].Id }),
            (HttpMethod.Post, $"{series}/wristbands/bulk", new { wristbandIds = new[] { s.Wristbands[0].Id } }),
            (HttpMethod.Put, $"/api/events/{s.Event.Id}", new { name = "x" }),
            (HttpMethod.Post, $"/api/events/{s.Event.Id}/gates", new { name = "Back door", kind = "entry" }),
            (HttpMethod.Post, $"/api/events/{s.Event.Id}/categories", new { name = "crew" }),
            (HttpMethod.Post, $"/api/events/{s.Event.Id}/wristbands", new { wristbands = new[] { new { nfcId = "EVIL01", category = "general" } } }),
            (HttpMethod.Put, $"/api/wristbands/{s.Wristbands[0].Id}/status", new { status = "revoked" }),
            (HttpMethod.Post, "/api/series", new { eventId = s.Event.Id, name = "x", startsAt = s.Series.StartsAt, endsAt = s.Series.EndsAt }),
            (HttpMethod.Post, $"/api/organizations/{owner.OrganizationId}/members", new { displayName = "Mallory", role = "owner" }),
        ];
        foreach (var (method, url, body) in writes)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(body, ApiClient.Json);
            await ApiClient.ProblemAsync(await client.SendRawAsync(method, url, json), HttpStatusCode.NotFound);
        }

        await ApiClient.ProblemAsync(await client.DeleteAsync(series), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.DeleteAsync($"/api/events/{s.Event.Id}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.DeleteAsync($"{series}/gates/{s.Main.Id}"), HttpStatusCode.NotFound);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task Lists_ShowOnlyTheCallersOrganizations()
    {
        var owner = await fixture.NewTenantAsync("Listed Org");
        var stranger = await fixture.NewTenantAsync("Other Listed Org");
        using var ownerClient = fixture.Host.Client(owner.Token);
        using var client = fixture.Host.Client(stranger.Token);
        var s = await Scenario.CreateAsync(ownerClient);

        Assert.Empty((await client.GetOkAsync<Page<SeriesSummary>>($"/api/series?eventId={s.Event.Id}")).Items);
        Assert.DoesNotContain((await client.GetOkAsync<Page<SeriesSummary>>("/api/series?pageSize=500")).Items, i => i.Id == s.Series.Id);
        Assert.DoesNotContain((await client.GetOkAsync<Page<EventSeries.Events.EventView>>("/api/events?pageSize=500")).Items, e => e.Id == s.Event.Id);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/events?organizationId={owner.OrganizationId}"), HttpStatusCode.NotFound);
        Assert.Single((await ownerClient.GetOkAsync<Page<SeriesSummary>>($"/api/series?eventId={s.Event.Id}")).Items);
    }

    [Fact]
    public async Task RequestsWithoutAValidToken_Answer401ProblemDetails()
    {
        using var anonymous = fixture.Host.Client();
        await ApiClient.ProblemAsync(await anonymous.GetAsync("/api/series"), HttpStatusCode.Unauthorized);
        using var wrong = fixture.Host.Client("es_not-a-real-token");
        await ApiClient.ProblemAsync(await wrong.GetAsync("/api/series"), HttpStatusCode.Unauthorized);
    }
}
