using System.Net;
using EventSeries.Organizations;
using Microsoft.Extensions.Time.Testing;

namespace EventSeries.Tests.Security;

/// <summary>
/// Each API instance caches callers; a change to someone's access made through one instance
/// reaches every other instance by PostgreSQL's change notification. Both hosts share a clock that
/// never moves, so the cache's one-second lifetime never expires here: only the notification can
/// make the second instance see the change.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class CallerFreshnessTests(PostgresServer postgres)
{
    [Fact]
    public async Task ALoweredRole_ARemovedMember_AndANewOrganization_ReachTheOtherInstanceWithoutWaitingForTheCache()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var first = await ApiHost.StartAsync(connectionString, "freshness", clock);
        await using var second = await ApiHost.StartAsync(connectionString, "freshness", clock);
        var tenant = await Tenant.BootstrapAsync(connectionString);
        using var owner = first.Client(tenant.Token);
        var org = $"/api/organizations/{tenant.OrganizationId}";
        var admin = await owner.PostOkAsync<MemberView>($"{org}/members", new { displayName = "Ada", role = "admin" });
        var adminToken = await owner.PostOkAsync<IssuedToken>($"{org}/members/{admin.UserId}/tokens", new { });
        using var adminViaSecond = second.Client(adminToken.Secret);
        Assert.Equal(Role.Admin, (await adminViaSecond.GetOkAsync<OrganizationView>(org)).YourRole);

        await owner.PutOkAsync<MemberView>($"{org}/members/{admin.UserId}", new { role = "viewer" });
        await Eventually.ValueAsync(async () => (await adminViaSecond.GetOkAsync<OrganizationView>(org)).YourRole, r => r == Role.Viewer);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"{org}/members/{admin.UserId}")).StatusCode);
        await Eventually.ValueAsync(async () => (await adminViaSecond.GetAsync(org)).StatusCode, s => s == HttpStatusCode.NotFound);

        using var ownerViaSecond = second.Client(tenant.Token);
        await ownerViaSecond.GetOkAsync<List<OrganizationView>>("/api/organizations");
        var created = await owner.PostOkAsync<OrganizationView>("/api/organizations", new { name = "Second Org" });
        await Eventually.ValueAsync(async () => (await ownerViaSecond.GetAsync($"/api/organizations/{created.Id}")).StatusCode, s => s == HttpStatusCode.OK);
    }
}
