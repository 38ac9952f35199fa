using System.Net;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Gates;
using EventSeries.Grains.Gates;

namespace EventSeries.Tests.Gates;

/// <summary>
/// Each gate's grain shows the gate right now, fed from the scan stream: scans and denials by minute,
/// the last scan, who scanned there, a jammed flag when denials spike, and open or closed as scans
/// see it; only to its event's organization.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class GateLiveTests(ApiFixture fixture)
{
    [Fact]
    public async Task AGatesLiveState_CountsScansAndDenials_TheLastScanAndWhoScanned_AndFlagsADenialSpike()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 10, vip: 0);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await g.ScanAsync(g.Wristbands[i].NfcId)).Allowed);
        }

        // General wristbands at the VIP gate: every one refused, a spike of denials.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ScanReasons.GateNotAllowed, (await g.ScanAsync(g.Wristbands[i].NfcId, g.Vip)).Reason);
        }

        var main = await Eventually.ValueAsync(() => LiveAsync(client, g, g.Main), v => v.Minutes.Sum(m => m.Scans) == 3);
        Assert.Equal((GateStatus.Open, 0, false), (main.Status, main.Minutes.Sum(m => m.Denied), main.Jammed));
        Assert.Equal(GateActivity.MinutesKept, main.Minutes.Length);
        Assert.Equal((CheckinResult.Allowed, g.Series.Id, ScanDirection.In), (main.LastScan!.Result, main.LastScan.SeriesId, main.LastScan.Direction));
        Assert.Equal([tenant.OwnerId], main.ScannersLastMinute);

        var vip = await Eventually.ValueAsync(() => LiveAsync(client, g, g.Vip), v => v.Minutes.Sum(m => m.Scans) == 10);
        Assert.Equal(10, vip.Minutes.Sum(m => m.Denied));
        Assert.True(vip.Jammed);
        Assert.StartsWith("denials_spike", vip.JammedReason, StringComparison.Ordinal);
        Assert.Equal(ScanReasons.GateNotAllowed, vip.LastScan!.Reason);
    }

    /// <summary>
    /// Scans of wristbands nobody registered belong to no series, yet they are what a gate under
    /// attack (or with a broken reader) sees: they count at the gate, and a spike of them jams it.
    /// </summary>
    [Fact]
    public async Task ScansOfUnknownWristbands_CountAtTheGate_AndASpikeOfThemJamsIt()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);

        for (var i = 0; i < GateActivity.SpikeMinimumScans; i++)
        {
            Assert.Equal(ScanReasons.UnknownWristband, (await g.ScanAsync($"FFFF{i:D8}")).Reason);
        }

        var main = await Eventually.ValueAsync(() => LiveAsync(client, g, g.Main), v => v.Minutes.Sum(m => m.Scans) == GateActivity.SpikeMinimumScans);
        Assert.Equal(GateActivity.SpikeMinimumScans, main.Minutes.Sum(m => m.Denied));
        Assert.True(main.Jammed);
        Assert.Equal((ScanReasons.UnknownWristband, (Guid?)null), (main.LastScan!.Reason, main.LastScan.SeriesId));
    }

    [Fact]
    public async Task AClosedGate_ShowsClosed_AndItsNextScanIsRefused()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);

        await client.PutOkAsync<GateView>($"/api/events/{g.Event.Id}/gates/{g.Main.Id}", new { name = "Main", kind = "mixed", status = "closed" });

        Assert.Equal(GateStatus.Closed, (await Eventually.ValueAsync(() => LiveAsync(client, g, g.Main), v => v.Status == GateStatus.Closed)).Status);
        var refused = await g.ScanAsync(g.Wristbands[0].NfcId);
        Assert.Equal((false, ScanReasons.GateNotAllowed, "gate_closed"), (refused.Allowed, refused.Reason, refused.Detail));
    }

    [Fact]
    public async Task AnotherOrganization_AndAGateOfAnotherEvent_Are404()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        using var stranger = fixture.Host.Client((await fixture.NewTenantAsync("Other Org")).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);
        var other = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 1, vip: 0);

        await ApiClient.ProblemAsync(await stranger.GetAsync($"/api/events/{g.Event.Id}/gates/{g.Main.Id}/live"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/events/{g.Event.Id}/gates/{other.Main.Id}/live"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/events/{g.Event.Id}/gates/{Guid.NewGuid()}/live"), HttpStatusCode.NotFound);
    }

    private static Task<GateLiveView> LiveAsync(ApiClient client, GateScenario g, GateView gate) =>
        client.GetOkAsync<GateLiveView>($"/api/events/{g.Event.Id}/gates/{gate.Id}/live");
}
