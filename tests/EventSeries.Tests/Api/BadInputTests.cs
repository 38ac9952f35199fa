using System.Net;

namespace EventSeries.Tests.Api;

/// <summary>Bad input answers 400 (or 409 for rules about current state) with problem details, and changes nothing.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class BadInputTests(ApiFixture fixture)
{
    public static TheoryData<string, string> BadSeriesBodies() => new()
    {
        { "end before start", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T17:00:00Z"}""" },
        { "negative capacity", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","capacity":-1}""" },
        { "missing start", """{"eventId":"{event}","name":"x","endsAt":"2027-07-01T20:00:00Z"}""" },
        { "missing event", """{"name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z"}""" },
        { "blank name", """{"eventId":"{event}","name":"  ","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z"}""" },
        { "gate of no event", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","gateIds":["00000000-0000-0000-0000-000000000001"]}""" },
        { "unknown category limit", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","categoryLimits":[{"category":"nope","maxWristbands":1}]}""" },
        { "negative category limit", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","categoryLimits":[{"category":"vip","maxWristbands":-1}]}""" },
        { "window closes after end", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","checkInWindow":{"closesMinutesAfterStart":500}}""" },
        { "malformed json", """{"eventId":"{event}","name":"x",""" },
        { "wrong type", """{"eventId":"{event}","name":"x","startsAt":"tomorrow","endsAt":"2027-07-01T20:00:00Z"}""" },
        { "unknown field", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","colour":"red"}""" },
        { "capacity as text", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","capacity":"abc"}""" },
        { "name as a number", """{"eventId":"{event}","name":7,"startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z"}""" },
        { "gate ids as an object", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","gateIds":{}}""" },
        { "unknown reentry", """{"eventId":"{event}","name":"x","startsAt":"2027-07-01T18:00:00Z","endsAt":"2027-07-01T20:00:00Z","reentry":"twice"}""" },
        { "out of range date", """{"eventId":"{event}","name":"x","startsAt":"1899-07-01T18:00:00Z","endsAt":"1899-07-01T20:00:00Z"}""" },
    };

    [Theory]
    [MemberData(nameof(BadSeriesBodies))]
    public async Task CreateSeries_WithBadInput_Answers400_AndCreatesNothing(string because, string body)
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 1);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/series", body.Replace("{event}", s.Event.Id.ToString(), StringComparison.Ordinal));

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), because);
        Assert.DoesNotContain("System.", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task Validation_ListsTheFieldsAtFault()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);

        var problem = await ApiClient.ProblemAsync(
            await client.PostAsync("/api/series", new { eventId = s.Event.Id, name = "", startsAt = Scenario.Start, endsAt = Scenario.Start, capacity = -5 }),
            HttpStatusCode.BadRequest, "validation_failed");

        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("name", fields);
        Assert.Contains("endsAt", fields);
        Assert.Contains("capacity", fields);
    }

    /// <summary>Requests whose required fields an empty body leaves out, each with every field it needs.</summary>
    public static TheoryData<string, string, string[]> EmptyBodies() => new()
    {
        { "POST", "/api/series", ["eventId", "name", "startsAt", "endsAt"] },
        { "PUT", "/api/series/{series}", ["name", "startsAt", "endsAt"] },
        { "POST", "/api/series/recurring", ["eventId", "name", "startsAt", "endsAt", "recurrence"] },
        { "POST", "/api/events", ["name"] },
        { "PUT", "/api/events/{event}", ["name"] },
        { "POST", "/api/events/{event}/gates", ["name", "kind"] },
        { "PUT", "/api/events/{event}/gates/{gate}", ["name", "kind"] },
        { "POST", "/api/events/{event}/wristbands", ["wristbands"] },
        { "POST", "/api/organizations/{organization}/members", ["displayName", "role"] },
        { "POST", "/api/series/{series}/transitions", ["to"] },
        { "POST", "/api/events/{event}/scans", ["nfcId", "gateId"] },
        { "POST", "/api/series/{series}/checkins/verify", ["nfcId", "gateId"] },
    };

    /// <summary>One 400 names every required field left out, not the first one found; nothing is written.</summary>
    [Theory]
    [MemberData(nameof(EmptyBodies))]
    public async Task EmptyBody_Answers400NamingEveryRequiredField_AndWritesNothing(string method, string route, string[] required)
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var url = route.Replace("{series}", s.Series.Id.ToString(), StringComparison.Ordinal)
            .Replace("{event}", s.Event.Id.ToString(), StringComparison.Ordinal)
            .Replace("{gate}", s.Main.Id.ToString(), StringComparison.Ordinal)
            .Replace("{organization}", tenant.OrganizationId.ToString(), StringComparison.Ordinal);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var problem = await ApiClient.ProblemAsync(await client.SendRawAsync(new HttpMethod(method), url, "{}"), HttpStatusCode.BadRequest, "validation_failed");

        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(required.Order(StringComparer.Ordinal), fields);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    /// <summary>Missing or null entries of a list are named all at once, with the other fields at fault.</summary>
    [Fact]
    public async Task NullEntries_AreEachNamed_TogetherWithTheMissingFields()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var series = await ApiClient.ProblemAsync(
            await client.SendRawAsync(HttpMethod.Post, "/api/series", """{"name":"x","categoryLimits":[null,{"category":"general"}]}"""),
            HttpStatusCode.BadRequest, "validation_failed");
        var wristbands = await ApiClient.ProblemAsync(
            await client.SendRawAsync(HttpMethod.Post, $"/api/events/{s.Event.Id}/wristbands", """{"wristbands":[null,{"nfcId":"04AA","category":"general"},null]}"""),
            HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(
            ["categoryLimits[0]", "categoryLimits[1].maxWristbands", "endsAt", "eventId", "startsAt"],
            series.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["wristbands[0]", "wristbands[2]"], wristbands.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task AssigningBeyondACategoryLimit_Answers409WithTheReason_AndAssignsNone()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 3, vipLimit: 2);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var problem = await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/series/{s.Series.Id}/wristbands/bulk", new { wristbandIds = s.Wristbands.Select(w => w.Id) }),
            HttpStatusCode.Conflict, "category_limit_exceeded");

        Assert.Contains("'vip' allows 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task WristbandRegistration_RefusesDuplicatesAndUnknownCategories_AllOrNothing()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var url = $"/api/events/{s.Event.Id}/wristbands";

        await ApiClient.ProblemAsync(await client.PostAsync(url, new { wristbands = new[] { new { nfcId = "NEW1", category = "general" }, new { nfcId = s.Wristbands[0].NfcId, category = "general" } } }),
            HttpStatusCode.Conflict, "nfc_id_taken");
        await ApiClient.ProblemAsync(await client.PostAsync(url, new { wristbands = new[] { new { nfcId = "NEW2", category = "general" }, new { nfcId = "NEW2", category = "general" } } }),
            HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(await client.PostAsync(url, new { wristbands = new[] { new { nfcId = "NEW3", category = "backstage" } } }),
            HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(await client.PostAsync(url, new { wristbands = new[] { new { nfcId = "bad uid with spaces", category = "general" } } }),
            HttpStatusCode.BadRequest, "validation_failed");
        await ApiClient.ProblemAsync(await client.SendRawAsync(HttpMethod.Post, url, """{"wristbands":[{"nfcId":"NEW4","category":"general","status":"melted"}]}"""),
            HttpStatusCode.BadRequest, "malformed_request");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Theory]
    [InlineData("/api/series?pageSize=0")]
    [InlineData("/api/series?pageSize=100000")]
    [InlineData("/api/series?page=0")]
    [InlineData("/api/series?lifecycle=paused")]
    [InlineData("/api/series?lifecycle=2")]
    public async Task BadQueryStrings_Answer400(string url)
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        await ApiClient.ProblemAsync(await client.GetAsync(url), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AViewer_MayReadButNotWrite_403()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(owner, general: 1, vip: 0);
        var viewer = await owner.PostOkAsync<EventSeries.Organizations.MemberView>(
            $"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Vera", role = "viewer" });
        var token = await owner.PostOkAsync<EventSeries.Organizations.IssuedToken>(
            $"/api/organizations/{tenant.OrganizationId}/members/{viewer.UserId}/tokens", new { name = "vera" });
        using var client = fixture.Host.Client(token.Secret);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await client.GetOkAsync<EventSeries.Series.SeriesView>($"/api/series/{s.Series.Id}");
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/{s.Series.Id}/transitions", new { to = "scheduled" }), HttpStatusCode.Forbidden, "forbidden");
        await ApiClient.ProblemAsync(await client.PostAsync("/api/series", new { eventId = s.Event.Id, name = "x", startsAt = Scenario.Start, endsAt = Scenario.Start.AddHours(1) }),
            HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }
}
