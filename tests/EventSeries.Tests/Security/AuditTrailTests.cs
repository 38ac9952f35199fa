using System.Net;
using EventSeries.Audit;
using EventSeries.Devices;
using EventSeries.Organizations;
using EventSeries.Persistence.Queries;
using EventSeries.Series;

namespace EventSeries.Tests.Security;

/// <summary>Every administrative write leaves one audit entry, written with it; refused writes leave none.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class AuditTrailTests(ApiFixture fixture)
{
    [Fact]
    public async Task AdministrativeWrites_AreAudited_WithActorTargetAndBeforeAfter_NewestFirst()
    {
        var tenant = await fixture.NewTenantAsync("Audited Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(owner);
        await s.TransitionAsync(SeriesLifecycle.Scheduled, "published");
        var device = await owner.PostOkAsync<IssuedDevice>($"/api/events/{s.Event.Id}/devices", new { name = "Handheld" });
        await owner.DeleteAsync($"/api/devices/{device.Device.Id}");
        var admin = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Ada Admin", role = "admin" });
        var token = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{admin.UserId}/tokens", new { name = "ada" });

        using var asAdmin = fixture.Host.Client(token.Secret);
        var page = await asAdmin.GetOkAsync<Page<AuditRecord>>($"/api/audit?organizationId={tenant.OrganizationId}&pageSize=500");
        Assert.Equal(
            ["token.issue", "member.add", "device.revoke", "device.register", "series.transition", "series.create",
             "wristbands.register", "gate.create", "gate.create", "event.create", "organization.bootstrap"],
            page.Items.Select(e => e.Action));
        Assert.Equal(page.Items.Count, page.Total);
        Assert.All(page.Items.SkipLast(1), e => Assert.Equal(tenant.OwnerId, e.ActorUserId));
        Assert.Equal("bootstrap", page.Items[^1].Actor);

        var transition = page.Items.Single(e => e.Action == "series.transition");
        Assert.Equal(("series", s.Series.Id.ToString()), (transition.TargetType, transition.TargetId));
        Assert.Equal("draft", transition.Before!.Value.GetProperty("lifecycle").GetString());
        Assert.Equal("scheduled", transition.After!.Value.GetProperty("lifecycle").GetString());
        Assert.Equal("published", transition.After!.Value.GetProperty("reason").GetString());
        var revoke = page.Items.Single(e => e.Action == "device.revoke");
        Assert.Equal(JsonValueKindNull(), revoke.Before!.Value.GetProperty("revokedAt").ValueKind);
        Assert.NotEqual(JsonValueKindNull(), revoke.After!.Value.GetProperty("revokedAt").ValueKind);

        // No secret ever reaches the trail.
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE strpos(coalesce(before::text, '') || coalesce(after::text, ''), @secret) > 0", ("secret", token.Secret)));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE strpos(coalesce(before::text, '') || coalesce(after::text, ''), @secret) > 0", ("secret", device.Token)));

        var filtered = await asAdmin.GetOkAsync<Page<AuditRecord>>($"/api/audit?organizationId={tenant.OrganizationId}&action=gate.create");
        Assert.Equal(2, filtered.Total);
        var byTarget = await asAdmin.GetOkAsync<Page<AuditRecord>>($"/api/audit?targetId={s.Series.Id}");
        Assert.Equal(["series.transition", "series.create"], byTarget.Items.Select(e => e.Action));
    }

    [Fact]
    public async Task ARefusedOrFailedWrite_LeavesNoAuditEntry_AndOnlyAdminsReadTheTrail()
    {
        var tenant = await fixture.NewTenantAsync("Quiet Org");
        var stranger = await fixture.NewTenantAsync("Nosy Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(owner);
        var manager = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Max Manager", role = "manager" });
        var token = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{manager.UserId}/tokens", new { });
        using var asManager = fixture.Host.Client(token.Secret);
        var count = await EntriesAsync(tenant.OrganizationId);

        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/series/{s.Series.Id}/transitions", new { to = "completed" }), HttpStatusCode.Conflict);
        await ApiClient.ProblemAsync(await asManager.DeleteAsync($"/api/events/{s.Event.Id}"), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await owner.DeleteAsync($"/api/series/{s.Series.Id}/wristbands/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.PostAsync($"/api/events/{s.Event.Id}/gates", new { name = "Main", kind = "entry" }), HttpStatusCode.Conflict);
        Assert.Equal(count, await EntriesAsync(tenant.OrganizationId));

        await ApiClient.ProblemAsync(await asManager.GetAsync($"/api/audit?organizationId={tenant.OrganizationId}"), HttpStatusCode.Forbidden);
        using var nosy = fixture.Host.Client(stranger.Token);
        await ApiClient.ProblemAsync(await nosy.GetAsync($"/api/audit?organizationId={tenant.OrganizationId}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await owner.GetAsync("/api/audit?pageSize=501"), HttpStatusCode.BadRequest);
    }

    private static System.Text.Json.JsonValueKind JsonValueKindNull() => System.Text.Json.JsonValueKind.Null;

    private Task<long> EntriesAsync(Guid organizationId) =>
        Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM audit_log WHERE organization_id = @id", ("id", organizationId));
}
