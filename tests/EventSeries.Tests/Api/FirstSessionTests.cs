using System.Net;
using EventSeries.Persistence.Queries;
using EventSeries.Series;

namespace EventSeries.Tests.Api;

/// <summary>The README's first session, end to end over HTTP against PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class FirstSessionTests(ApiFixture fixture)
{
    [Fact]
    public async Task FirstSession_CreatesEverything_AssignsWristbands_AndWalksTheLifecycle()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client);

        Assert.Equal(SeriesLifecycle.Draft, s.Series.Lifecycle);
        Assert.Equal([s.Main.Id], s.Series.GateIds);
        Assert.Equal(Scenario.Start.AddHours(-2), s.Series.CheckInOpensAt);
        Assert.Equal(s.Series.EndsAt, s.Series.CheckInClosesAt);

        var assigned = await client.PostOkAsync<AssignmentResult>(
            $"/api/series/{s.Series.Id}/wristbands/bulk", new { wristbandIds = s.Wristbands.Select(w => w.Id) }, HttpStatusCode.OK);
        Assert.Equal(6, assigned.Assigned);
        var one = await client.PostOkAsync<AssignmentResult>($"/api/series/{s.Series.Id}/wristbands", new { nfcId = s.Wristbands[0].NfcId }, HttpStatusCode.OK);
        Assert.Equal((0, 1), (one.Assigned, one.AlreadyAssigned));
        await client.PostOkAsync<ImmutableArray<Guid>>($"/api/series/{s.Series.Id}/gates", new { gateIds = new[] { s.Vip.Id } }, HttpStatusCode.OK);

        await s.TransitionAsync(SeriesLifecycle.Scheduled, "published");
        await s.TransitionAsync(SeriesLifecycle.Active);
        await s.TransitionAsync(SeriesLifecycle.Completed);

        var series = await s.ReloadAsync();
        Assert.Equal(SeriesLifecycle.Completed, series.Lifecycle);
        Assert.Equal(6, series.AssignedWristbands);
        Assert.Equal(2, series.GateIds.Length);
        var transitions = await client.GetOkAsync<ImmutableArray<SeriesTransition>>($"/api/series/{s.Series.Id}/transitions");
        Assert.Equal([SeriesLifecycle.Draft, SeriesLifecycle.Scheduled, SeriesLifecycle.Active, SeriesLifecycle.Completed], transitions.Select(t => t.To));
        Assert.All(transitions, t => Assert.Equal(tenant.OwnerId, t.ActorUserId));

        var page = await client.GetOkAsync<Page<AssignedWristband>>($"/api/series/{s.Series.Id}/wristbands?category=vip");
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task ListSeries_FiltersByEventLifecycleAndDate_AndPages()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client);
        for (var day = 2; day <= 4; day++)
        {
            await client.PostOkAsync<SeriesView>("/api/series", new
            {
                eventId = s.Event.Id, name = $"Day {day}", startsAt = Scenario.Start.AddDays(day - 1), endsAt = Scenario.Start.AddDays(day - 1).AddHours(8),
            });
        }

        await s.TransitionAsync(SeriesLifecycle.Scheduled);

        var all = await client.GetOkAsync<Page<SeriesSummary>>($"/api/series?eventId={s.Event.Id}&pageSize=3");
        Assert.Equal(4, all.Total);
        Assert.Equal(["Day 1", "Day 2", "Day 3"], all.Items.Select(i => i.Name));
        var second = await client.GetOkAsync<Page<SeriesSummary>>($"/api/series?eventId={s.Event.Id}&pageSize=3&page=2");
        Assert.Equal(["Day 4"], second.Items.Select(i => i.Name));
        var scheduled = await client.GetOkAsync<Page<SeriesSummary>>($"/api/series?eventId={s.Event.Id}&lifecycle=scheduled");
        Assert.Equal(["Day 1"], scheduled.Items.Select(i => i.Name));
        var from = Uri.EscapeDataString(Scenario.Start.AddDays(1).ToString("O"));
        var to = Uri.EscapeDataString(Scenario.Start.AddDays(2).ToString("O"));
        var ranged = await client.GetOkAsync<Page<SeriesSummary>>($"/api/series?eventId={s.Event.Id}&from={from}&to={to}");
        Assert.Equal(["Day 2"], ranged.Items.Select(i => i.Name));
    }

    [Fact]
    public async Task DeletingASeries_IsAllowedOnlyForDraftOrCancelled()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client);
        await s.TransitionAsync(SeriesLifecycle.Scheduled);

        await ApiClient.ProblemAsync(await client.DeleteAsync($"/api/series/{s.Series.Id}"), HttpStatusCode.Conflict, "series_not_deletable");
        await s.TransitionAsync(SeriesLifecycle.Cancelled, "rain");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/series/{s.Series.Id}")).StatusCode);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{s.Series.Id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM event_series WHERE id = @id", ("id", s.Series.Id)));
    }
}
