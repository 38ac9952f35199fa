using System.Net;
using EventSeries.Events;
using EventSeries.Persistence.Queries;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Api;

[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class EventsAndWristbandsTests(ApiFixture fixture)
{
    [Fact]
    public async Task WristbandStatus_ChangesAndIsListedByStatus()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 3, vip: 0);
        var lost = s.Wristbands[1];

        var changed = await client.PutOkAsync<WristbandView>($"/api/wristbands/{lost.Id}/status", new { status = "lost" });

        Assert.Equal(WristbandStatus.Lost, changed.Status);
        Assert.Equal(WristbandStatus.Lost, (await client.GetOkAsync<WristbandView>($"/api/wristbands/{lost.Id}")).Status);
        var listed = await client.GetOkAsync<Page<WristbandView>>($"/api/events/{s.Event.Id}/wristbands?status=lost");
        Assert.Equal([lost.Id], listed.Items.Select(w => w.Id));
        Assert.Equal("lost", await Db.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM wristbands WHERE id = @id", ("id", lost.Id)));
    }

    [Fact]
    public async Task Gates_AreUniqueByNameAndCanBeClosed()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);

        await ApiClient.ProblemAsync(await client.PostAsync($"/api/events/{s.Event.Id}/gates", new { name = "Main", kind = "exit" }), HttpStatusCode.Conflict, "gate_name_taken");
        var closed = await client.PutOkAsync<GateView>($"/api/events/{s.Event.Id}/gates/{s.Main.Id}", new { name = "Main", kind = "entry", status = "closed" });
        Assert.Equal(GateStatus.Closed, closed.Status);
        var gates = await client.GetOkAsync<ImmutableArray<GateView>>($"/api/events/{s.Event.Id}/gates");
        Assert.Equal(GateStatus.Closed, gates.Single(g => g.Id == s.Main.Id).Status);
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/events/{s.Event.Id}/gates", new { name = "Crew", kind = "staff", allowedCategories = new[] { "crew" } }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeletingAnEvent_IsRefusedWhileItHasLiveSeries_AndRemovesEverythingOnceCancelled()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 2, vip: 0);
        await s.TransitionAsync(SeriesLifecycle.Scheduled);

        await ApiClient.ProblemAsync(await client.DeleteAsync($"/api/events/{s.Event.Id}"), HttpStatusCode.Conflict, "event_has_series");
        await s.TransitionAsync(SeriesLifecycle.Cancelled);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/events/{s.Event.Id}")).StatusCode);

        await ApiClient.ProblemAsync(await client.GetAsync($"/api/events/{s.Event.Id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM wristbands WHERE event_id = @id", ("id", s.Event.Id)));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM event_series WHERE event_id = @id", ("id", s.Event.Id)));
    }
}
