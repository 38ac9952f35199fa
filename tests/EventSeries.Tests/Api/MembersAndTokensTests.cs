using System.Net;
using EventSeries.Organizations;

namespace EventSeries.Tests.Api;

/// <summary>Owners and admins add members and issue tokens; tokens are shown once, stored hashed, and revocable.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class MembersAndTokensTests(ApiFixture fixture)
{
    [Fact]
    public async Task IssuedToken_Works_IsStoredOnlyAsAHash_AndStopsWorkingWhenRevoked()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        var bob = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Bob", role = "manager" });
        var issued = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{bob.UserId}/tokens", new { name = "laptop" });

        using var asBob = fixture.Host.Client(issued.Secret);
        var mine = await asBob.GetOkAsync<List<OrganizationView>>("/api/organizations");
        Assert.Equal(Role.Manager, Assert.Single(mine).YourRole);
        // The row holds the SHA-256 of the secret and nothing from which the secret could be read back.
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM api_tokens WHERE id = @id AND token_hash = sha256(convert_to(@secret, 'UTF8'))", ("id", issued.Token.Id), ("secret", issued.Secret)));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM api_tokens t WHERE strpos(row_to_json(t)::text, @secret) > 0", ("secret", issued.Secret)));

        var revoked = await ApiClient.ReadAsync<TokenView>(await owner.DeleteAsync($"/api/organizations/{tenant.OrganizationId}/tokens/{issued.Token.Id}"), HttpStatusCode.OK);
        Assert.NotNull(revoked.RevokedAt);
        await ApiClient.ProblemAsync(await asBob.GetAsync("/api/organizations"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnAdmin_MayAddMembersButNotOwners_AndMayNotTouchOwnersTokens()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        var admin = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Ada", role = "admin" });
        var adminToken = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{admin.UserId}/tokens", new { });
        using var asAdmin = fixture.Host.Client(adminToken.Secret);

        await asAdmin.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Mia", role = "member" });
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(await asAdmin.PostAsync($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "Otto", role = "owner" }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await asAdmin.PostAsync($"/api/organizations/{tenant.OrganizationId}/members/{tenant.OwnerId}/tokens", new { }), HttpStatusCode.Forbidden);
        await ApiClient.ProblemAsync(await asAdmin.GetAsync($"/api/organizations/{tenant.OrganizationId}/members/{tenant.OwnerId}/tokens"), HttpStatusCode.Forbidden);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task ATokenThatExpired_IsRefused_AndExpiryMustBeInTheFuture()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        await ApiClient.ProblemAsync(
            await owner.PostAsync($"/api/organizations/{tenant.OrganizationId}/members/{tenant.OwnerId}/tokens", new { expiresAt = fixture.Clock.GetUtcNow().AddMinutes(-1) }),
            HttpStatusCode.BadRequest, "validation_failed");
        var issued = await owner.PostOkAsync<IssuedToken>(
            $"/api/organizations/{tenant.OrganizationId}/members/{tenant.OwnerId}/tokens", new { expiresAt = fixture.Clock.GetUtcNow().AddHours(1) });
        using var client = fixture.Host.Client(issued.Secret);
        await client.GetOkAsync<List<OrganizationView>>("/api/organizations");

        await fixture.AdvanceAsync(TimeSpan.FromHours(1));
        await ApiClient.ProblemAsync(await client.GetAsync("/api/organizations"), HttpStatusCode.Unauthorized);
    }
}
