using System.Net;
using EventSeries.CheckIns;
using EventSeries.Persistence.Queries;

namespace EventSeries.Tests.Api;

[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class CheckInLogAndMetricsTests(ApiFixture fixture)
{
    [Fact]
    public async Task CheckinLog_IsNewestFirst_AndFilters()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 2, vip: 1);
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        await g.ScanAsync(g.Wristbands[2].NfcId, g.Vip);

        var all = await client.GetOkAsync<Page<CheckinLogEntry>>($"/api/series/{g.Series.Id}/checkins");
        Assert.Equal(3, all.Total);
        Assert.Equal([g.Wristbands[2].NfcId, g.Wristbands[0].NfcId, g.Wristbands[0].NfcId], all.Items.Select(i => i.NfcId));
        var denied = await client.GetOkAsync<Page<CheckinLogEntry>>($"/api/series/{g.Series.Id}/checkins?result=denied&reason=already_inside");
        Assert.Equal(ScanReasons.AlreadyInside, Assert.Single(denied.Items).Reason);
        var vip = await client.GetOkAsync<Page<CheckinLogEntry>>($"/api/series/{g.Series.Id}/checkins?gateId={g.Vip.Id}");
        Assert.Equal(g.Wristbands[2].NfcId, Assert.Single(vip.Items).NfcId);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{g.Series.Id}/checkins?result=maybe"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Scannable_ListsSeriesOpenNowOrWithinTheHour_WithTheirGates()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var now = fixture.Clock.GetUtcNow();
        var open = await GateScenario.CreateAsync(client, now);
        var soon = await GateScenario.CreateAsync(client, now.AddMinutes(80), activate: false);
        var later = await GateScenario.CreateAsync(client, now.AddHours(5), activate: false);
        await soon.TransitionAsync("scheduled");
        await later.TransitionAsync("scheduled");

        var scannable = await client.GetOkAsync<List<ScannableSeries>>("/api/series/scannable");

        var ids = scannable.Select(s => s.SeriesId).ToList();
        Assert.Contains(open.Series.Id, ids);
        Assert.Contains(soon.Series.Id, ids);
        Assert.DoesNotContain(later.Series.Id, ids);
        var gates = scannable.Single(s => s.SeriesId == open.Series.Id).Gates.Select(x => x.Name);
        Assert.Equal(["Main", "VIP"], gates);
    }

    [Fact]
    public async Task Metrics_FromTheStream_AgreeWithARecomputeFromTheLog()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 3, vip: 1, capacity: 10);
        await client.GetOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics");
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await g.ScanAsync(g.Wristbands[1].NfcId);
        await g.ScanAsync(g.Wristbands[1].NfcId, direction: "out");
        await g.ScanAsync(g.Wristbands[3].NfcId, g.Vip);
        await g.ScanAsync(g.Wristbands[2].NfcId, g.Vip);

        var live = await Eventually.ValueAsync(
            () => client.GetOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics"), m => m.TotalScans == 6);
        var computed = await client.PostOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics/compute", new { }, HttpStatusCode.OK);

        Assert.Equal((6L, 4L, 2L, 2L, 3L), (computed.TotalScans, computed.Allowed, computed.Denied, computed.Occupancy, computed.UniqueWristbands));
        Assert.Equal(1, computed.DeniedByReason[ScanReasons.AlreadyInside]);
        Assert.Equal(1, computed.DeniedByReason[ScanReasons.GateNotAllowed]);
        Assert.Equal(new ScanCounts(2, 1, 1), computed.PerGate[g.Vip.Id]);
        Assert.Equal(new ScanCounts(1, 1, 0), computed.PerCategory["vip"]);
        Assert.Equivalent(computed with { ComputedAt = default }, live with { ComputedAt = default }, strict: true);
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_metrics_cache WHERE series_id = @s AND total_scans = 6", ("s", g.Series.Id)));
    }
}
