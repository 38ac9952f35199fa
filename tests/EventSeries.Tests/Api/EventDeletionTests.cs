using System.Net;
using EventSeries.Devices;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Api;

/// <summary>
/// Deleting an event deletes its series, wristbands and scanner devices with it (by cascade in
/// PostgreSQL); grains that held them in memory must not go on answering from memory.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class EventDeletionTests(ApiFixture fixture)
{
    [Fact]
    public async Task AfterAnEventIsDeleted_ItsSeriesWristbandsAndDevices_AreNotFound_AndAcceptNoWrites()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(owner);
        var holder = (await owner.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{s.Event.Id}/wristbands", new
        {
            wristbands = new[] { new { nfcId = $"HOLD{s.Event.Id:N}"[..20], category = "general", holderName = "Hanna Holder", holderEmail = "hanna@example.org" } },
        }))[0];
        var device = await owner.PostOkAsync<IssuedDevice>($"/api/events/{s.Event.Id}/devices", new { name = "Gate 1" });

        // Activate every grain so each holds its row in memory.
        await owner.GetOkAsync<WristbandView>($"/api/wristbands/{holder.Id}");
        await owner.GetOkAsync<SeriesView>($"/api/series/{s.Series.Id}");
        await owner.GetOkAsync<ScannerDeviceView>($"/api/devices/{device.Device.Id}");
        using var asDevice = fixture.Host.Client(device.Token);
        await asDevice.GetOkAsync<System.Text.Json.JsonElement>("/api/series/scannable");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/events/{s.Event.Id}")).StatusCode);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        var wristband = await ApiClient.ProblemAsync(await owner.GetAsync($"/api/wristbands/{holder.Id}"), HttpStatusCode.NotFound);
        Assert.DoesNotContain("Hanna", wristband.GetRawText(), StringComparison.Ordinal);
        await ApiClient.ProblemAsync(await owner.PutAsync($"/api/wristbands/{holder.Id}/status", new { status = "lost" }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.GetAsync($"/api/series/{s.Series.Id}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.PutAsync($"/api/series/{s.Series.Id}", new { name = "Ghost", startsAt = Scenario.Start, endsAt = Scenario.Start.AddHours(1) }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/series/{s.Series.Id}/transitions", new { to = "scheduled" }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.GetAsync($"/api/devices/{device.Device.Id}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.DeleteAsync($"/api/devices/{device.Device.Id}"), HttpStatusCode.NotFound);
        // The device's token went with it; cached callers hear of it by notification, not by expiry.
        await Eventually.ValueAsync(async () => (await asDevice.GetAsync("/api/series/scannable")).StatusCode, c => c == HttpStatusCode.Unauthorized);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }
}
