using System.Net;

namespace EventSeries.Tests.Recurrence;

/// <summary>Refused recurring requests: clear 400s naming the field, 403/404 by role and tenancy, and nothing written.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class RecurringSeriesRefusalTests(ApiFixture fixture)
{
    public static TheoryData<string, string> BadRequests() => new()
    {
        { "unknown frequency", "recurrence.rule" },
        { "no FREQ", "recurrence.rule" },
        { "rule never matches", "recurrence.rule" },
        { "unknown zone", "recurrence.timeZone" },
        { "unbounded rule without a limit", "instances" },
        { "zero instances", "instances" },
        { "more than 10,000 at once", "instances" },
        { "no recurrence", "recurrence" },
        { "ends before it starts", "endsAt" },
        { "unknown gate", "gateIds" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRecurringRequest_Answers400WithTheField_AndChangesNothing(string problem, string field)
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var body = problem switch
        {
            "unknown frequency" => s.Body("FREQ=FORTNIGHTLY;COUNT=3"),
            "no FREQ" => s.Body("COUNT=3;BYDAY=TH"),
            "rule never matches" => s.Body("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3"),
            "unknown zone" => s.Body("FREQ=WEEKLY;COUNT=3", timeZone: "Europe/Atlantis"),
            "unbounded rule without a limit" => s.Body("FREQ=WEEKLY;BYDAY=TH"),
            "zero instances" => s.Body("FREQ=WEEKLY", instances: 0),
            "more than 10,000 at once" => s.Body("FREQ=DAILY", instances: 10_001),
            "no recurrence" => s.Body("FREQ=WEEKLY;COUNT=3"),
            _ => s.Body("FREQ=WEEKLY;COUNT=3"),
        };
        switch (problem)
        {
            case "no recurrence":
                body.Remove("recurrence");
                break;
            case "ends before it starts":
                body["endsAt"] = RecurringScenario.FirstThursday.AddHours(-1);
                break;
            case "unknown gate":
                body["gateIds"] = new[] { Guid.NewGuid() };
                break;
        }

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var problemDetails = await ApiClient.ProblemAsync(await client.PostAsync("/api/series/recurring", body), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problemDetails.GetProperty("errors").TryGetProperty(field, out _), $"{problem}: expected an error for '{field}' in {problemDetails}");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task AnotherOrganization_SeesNoParent_AndAViewerMayNotCreateOne()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await RecurringScenario.CreateAsync(owner);
        var parent = (await s.CreateRecurringAsync("FREQ=WEEKLY;COUNT=2")).Parent;
        using var stranger = fixture.Host.Client((await fixture.NewTenantAsync("Other Org")).Token);
        var viewer = await owner.PostOkAsync<Organizations.MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Vera", role = "viewer" });
        var viewerToken = await owner.PostOkAsync<Organizations.IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{viewer.UserId}/tokens", new { });
        using var asViewer = fixture.Host.Client(viewerToken.Secret);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await ApiClient.ProblemAsync(await stranger.PostAsync($"/api/series/recurring/{parent.Id}/instances", new { instances = 5 }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await stranger.PostAsync("/api/series/recurring", s.Body("FREQ=WEEKLY;COUNT=2")), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(
            await stranger.PostAsync($"/api/series/{parent.Id}/transitions", new { to = "cancelled", cascade = true }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await asViewer.PostAsync("/api/series/recurring", s.Body("FREQ=WEEKLY;COUNT=2")), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await asViewer.PostAsync($"/api/series/recurring/{parent.Id}/instances", new { instances = 5 }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(
            await asViewer.PutAsync($"/api/series/{parent.Id}?applyToChildren=true", new { name = "Viewer's", startsAt = parent.StartsAt, endsAt = parent.EndsAt }),
            HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(
            await asViewer.PostAsync($"/api/series/{parent.Id}/transitions", new { to = "cancelled", cascade = true }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await stranger.GetAsync($"/api/series/{parent.Id}/jobs"), HttpStatusCode.NotFound);

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task BadInstanceAndCascadeRequests_AreRefused_AndChangeNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var parent = (await s.CreateRecurringAsync("FREQ=WEEKLY", instances: 2)).Parent;
        var plain = await client.PostOkAsync<Series.SeriesView>("/api/series", new
        {
            eventId = s.Event.Id, name = "One-off", startsAt = RecurringScenario.FirstThursday, endsAt = RecurringScenario.FirstThursday.AddHours(2),
        });
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/recurring/{parent.Id}/instances", new { }), HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/recurring/{parent.Id}/instances", new { instances = 0 }), HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/series/recurring/{parent.Id}/instances", new { instances = 10_003 }), HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/recurring/{plain.Id}/instances", new { instances = 3 }), HttpStatusCode.Conflict, "not_recurring");
        await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/series/{parent.Id}/transitions", new { to = "scheduled", cascade = true }), HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/series/{plain.Id}/transitions", new { to = "cancelled", cascade = true }), HttpStatusCode.Conflict, "not_recurring");
        await ApiClient.ProblemAsync(
            await client.PutAsync($"/api/series/{plain.Id}?applyToChildren=true", new { name = "One-off", startsAt = plain.StartsAt, endsAt = plain.EndsAt }),
            HttpStatusCode.Conflict, "not_recurring");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }
}
