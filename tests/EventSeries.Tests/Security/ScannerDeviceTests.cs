using System.Net;
using EventSeries.Api.Auth;
using EventSeries.CheckIns;
using EventSeries.Devices;
using EventSeries.Events;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Queries;
using EventSeries.Persistence.Stores;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EventSeries.Tests.Security;

/// <summary>A scanner device scans at its event and gates and does nothing else; revoked, it stops within a second.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class ScannerDeviceTests(ApiFixture fixture)
{
    [Fact]
    public async Task ADevice_ScansAndVerifiesAtItsGates_ButNotAtOtherGatesOrEvents_AndMayNotReadAnythingElse()
    {
        var tenant = await fixture.NewTenantAsync("Device Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var gates = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow());
        var other = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow());
        var issued = await owner.PostOkAsync<IssuedDevice>($"/api/events/{gates.Event.Id}/devices", new { name = "Main gate handheld", gateIds = new[] { gates.Main.Id } });
        Assert.StartsWith("es_", issued.Token, StringComparison.Ordinal);
        Assert.Equal([gates.Main.Id], issued.Device.GateIds);
        using var device = fixture.Host.Client(issued.Token);
        var scan = new { nfcId = gates.Wristbands[0].NfcId, gateId = gates.Main.Id };

        var verdict = await device.PostOkAsync<ScanVerdict>($"/api/events/{gates.Event.Id}/scans", scan, HttpStatusCode.OK);
        Assert.True(verdict.Allowed);
        Assert.Equal(issued.Device.Id, await Db.ScalarAsync<Guid>(fixture.ConnectionString, "SELECT actor_user_id FROM checkin_logs WHERE id = @id", ("id", verdict.CheckinId)));
        var verified = await device.PostOkAsync<ScanVerdict>($"/api/series/{gates.Series.Id}/checkins/verify", new { nfcId = gates.Wristbands[1].NfcId, gateId = gates.Main.Id }, HttpStatusCode.OK);
        Assert.True(verified.Allowed);

        var persons = await owner.PostOkAsync<ScanVerdict>($"/api/events/{gates.Event.Id}/scans", new { nfcId = gates.Wristbands[3].NfcId, gateId = gates.Vip.Id }, HttpStatusCode.OK);
        Assert.True(persons.Allowed);

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(await device.PostAsync($"/api/events/{gates.Event.Id}/scans", new { nfcId = gates.Wristbands[2].NfcId, gateId = gates.Vip.Id }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.PostAsync($"/api/events/{other.Event.Id}/scans", new { nfcId = other.Wristbands[0].NfcId, gateId = other.Main.Id }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.PostAsync($"/api/series/{other.Series.Id}/checkins/verify", new { nfcId = other.Wristbands[0].NfcId, gateId = other.Main.Id }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.GetAsync($"/api/events/{gates.Event.Id}"), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.GetAsync($"/api/series/{gates.Series.Id}/checkins"), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.PostAsync($"/api/series/{gates.Series.Id}/checkins/{persons.CheckinId}/annul", new { }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.PostAsync("/api/organizations", new { name = "Device's own org" }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await device.GetAsync($"/api/series/scannable?eventId={other.Event.Id}"), HttpStatusCode.Forbidden);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // Its scannable list: its own event only, and only the gate it may scan at.
        var scannable = await device.GetOkAsync<List<ScannableSeries>>("/api/series/scannable");
        var series = Assert.Single(scannable);
        Assert.Equal(gates.Series.Id, series.SeriesId);
        Assert.Equal([gates.Main.Id], series.Gates.Select(g => g.Id));
    }

    /// <summary>The handheld knows when the turnstile did not turn: it may take back its own entry, as a member may, and nobody else's.</summary>
    [Fact]
    public async Task ADevice_MayAnnulItsOwnEntryWithinTheWindow_ButNotAnotherDevicesOrAPersons()
    {
        var tenant = await fixture.NewTenantAsync("Annulling Device Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow(), general: 4, vip: 0);
        var first = await owner.PostOkAsync<IssuedDevice>($"/api/events/{g.Event.Id}/devices", new { name = "Handheld A", gateIds = new[] { g.Main.Id } });
        var second = await owner.PostOkAsync<IssuedDevice>($"/api/events/{g.Event.Id}/devices", new { name = "Handheld B" });
        using var a = fixture.Host.Client(first.Token);
        using var b = fixture.Host.Client(second.Token);
        Task<ScanVerdict> ScanAsync(ApiClient by, int wristband) =>
            by.PostOkAsync<ScanVerdict>($"/api/events/{g.Event.Id}/scans", new { nfcId = g.Wristbands[wristband].NfcId, gateId = g.Main.Id }, HttpStatusCode.OK);
        string Annul(ScanVerdict entry) => $"/api/series/{g.Series.Id}/checkins/{entry.CheckinId}/annul";
        var own = await ScanAsync(a, 0);
        var othersDevice = await ScanAsync(b, 1);
        var persons = await ScanAsync(owner, 2);

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(await a.PostAsync(Annul(othersDevice), new { }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await a.PostAsync(Annul(persons), new { }), HttpStatusCode.Forbidden);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        var annulled = await a.PostOkAsync<ScanVerdict>(Annul(own), new { }, HttpStatusCode.OK);
        Assert.Equal(ScanReasons.Annulled, annulled.Reason);
        Assert.Equal(first.Device.Id, await Db.ScalarAsync<Guid>(fixture.ConnectionString,
            "SELECT actor_user_id FROM checkin_logs WHERE annuls = @id", ("id", own.CheckinId)));

        var tooOld = await ScanAsync(a, 3);
        await fixture.AdvanceAsync(TimeSpan.FromMinutes(16));
        await ApiClient.ProblemAsync(await a.PostAsync(Annul(tooOld), new { }), HttpStatusCode.Conflict, "not_annullable");
    }

    [Fact]
    public async Task ARevokedDevice_IsRefusedAtOnce_OnTheInstanceThatRevokedIt_AndOnlyAnAdminMayRevoke()
    {
        var tenant = await fixture.NewTenantAsync("Revoking Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var gates = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow());
        var issued = await owner.PostOkAsync<IssuedDevice>($"/api/events/{gates.Event.Id}/devices", new { name = "Lost handheld" });
        using var device = fixture.Host.Client(issued.Token);
        Assert.True((await device.PostOkAsync<ScanVerdict>($"/api/events/{gates.Event.Id}/scans", new { nfcId = gates.Wristbands[0].NfcId, gateId = gates.Main.Id }, HttpStatusCode.OK)).Allowed);

        var revoked = await ApiClient.ReadAsync<ScannerDeviceView>(await owner.DeleteAsync($"/api/devices/{issued.Device.Id}"), HttpStatusCode.OK);
        Assert.NotNull(revoked.RevokedAt);
        await ApiClient.ProblemAsync(await device.PostAsync($"/api/events/{gates.Event.Id}/scans", new { nfcId = gates.Wristbands[1].NfcId, gateId = gates.Main.Id }), HttpStatusCode.Unauthorized);
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = 'device.revoke' AND target_id = @id", ("id", issued.Device.Id.ToString())));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM checkin_logs WHERE actor_user_id = @id", ("id", issued.Device.Id)));
    }

    [Fact]
    public async Task ADeviceRevokedElsewhere_IsRefusedByEveryOtherInstance_WithinOneSecond()
    {
        // Another API instance is another CallerCache over the same database: revoke through the
        // store (as the other instance would), and watch this cache on its own clock.
        var tenant = await fixture.NewTenantAsync("Two Instances Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var ev = await owner.PostOkAsync<EventView>("/api/events", new { name = "Instance Fest" });
        var issued = await owner.PostOkAsync<IssuedDevice>($"/api/events/{ev.Id}/devices", new { name = "Handheld" });
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var devices = new ScannerDeviceStore(db);
        var cache = new CallerCache(new OrganizationStore(db), devices, new DomainTime(clock));

        var caller = await cache.FindAsync(issued.Token);
        Assert.Equal(issued.Device.Id, caller?.Scanner?.DeviceId);
        await devices.RevokeAsync(issued.Device.Id, clock.GetUtcNow(), AuditEntry.BySystem(tenant.OrganizationId, clock.GetUtcNow(), "device.revoke", "device", issued.Device.Id, null, null));

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.NotNull(await cache.FindAsync(issued.Token)); // still remembered, for at most a second
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await cache.FindAsync(issued.Token));
    }

    [Fact]
    public async Task RegisteringADevice_ValidatesItsInput_AndNeedsAnAdmin()
    {
        var tenant = await fixture.NewTenantAsync("Device Rules Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var gates = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow(), activate: false);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/events/{gates.Event.Id}/devices", new { name = "" }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/events/{gates.Event.Id}/devices", new { name = "x", gateIds = new[] { Guid.NewGuid() } }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/events/{Guid.NewGuid()}/devices", new { name = "x" }), HttpStatusCode.NotFound);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        var listed = await owner.GetOkAsync<List<ScannerDeviceView>>($"/api/events/{gates.Event.Id}/devices");
        Assert.Empty(listed);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM scanner_devices WHERE event_id = @id", ("id", gates.Event.Id)));
    }
}
