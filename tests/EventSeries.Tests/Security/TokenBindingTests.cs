using System.Net;
using EventSeries.Organizations;

namespace EventSeries.Tests.Security;

/// <summary>
/// A token someone mints for another person carries only the membership of the organization it
/// was minted in: a co-owner or admin of one organization never gains the person's rights in
/// another. Person P owns organization A (bootstrap) and creates organization B, where others
/// manage P.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class TokenBindingTests(ApiFixture fixture)
{
    [Fact]
    public async Task ACoOwnersTokenForAPerson_CarriesOnlyThatOrganization_NotThePersonsOwnershipElsewhere()
    {
        var (a, p, b) = await TwoOrganizationsAsync();
        using var coOwner = await MemberClientAsync(p, b, "Quinn", "owner");
        var minted = await coOwner.PostOkAsync<IssuedToken>($"/api/organizations/{b}/members/{a.OwnerId}/tokens", new { name = "for P" });
        Assert.Equal(b, minted.Token.OrganizationId);
        using var asP = fixture.Host.Client(minted.Secret);

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        Assert.Equal([b], (await asP.GetOkAsync<List<OrganizationView>>("/api/organizations")).Select(o => o.Id));
        await ApiClient.ProblemAsync(await asP.GetAsync($"/api/organizations/{a.OrganizationId}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await asP.PostAsync("/api/events", new { organizationId = a.OrganizationId, name = "Hijack" }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await asP.PostAsync($"/api/organizations/{a.OrganizationId}/members", new { displayName = "Mallory", role = "owner" }), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await asP.DeleteAsync($"/api/organizations/{a.OrganizationId}"), HttpStatusCode.NotFound);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task AnAdminsTokenForAPerson_CarriesOnlyThatOrganization_AndCannotMintItselfAWiderOne()
    {
        var (a, owner, b) = await TwoOrganizationsAsync();

        // P is a member (not an owner) of B, so B's admin may mint P's tokens there.
        using var coOwner = await MemberClientAsync(owner, b, "Quinn", "owner");
        await owner.PutOkAsync<MemberView>($"/api/organizations/{b}/members/{a.OwnerId}", new { role = "member" });
        using var admin = await MemberClientAsync(coOwner, b, "Ada", "admin");
        var minted = await admin.PostOkAsync<IssuedToken>($"/api/organizations/{b}/members/{a.OwnerId}/tokens", new { });
        using var asP = fixture.Host.Client(minted.Secret);
        Assert.Equal([b], (await asP.GetOkAsync<List<OrganizationView>>("/api/organizations")).Select(o => o.Id));

        // The bound token's holder mints "for themself": the new token is bound to B too.
        var second = await asP.PostOkAsync<IssuedToken>($"/api/organizations/{b}/members/{a.OwnerId}/tokens", new { name = "self" });
        Assert.Equal(b, second.Token.OrganizationId);
        using var asSecond = fixture.Host.Client(second.Secret);
        await ApiClient.ProblemAsync(await asSecond.GetAsync($"/api/organizations/{a.OrganizationId}"), HttpStatusCode.NotFound);

        // Nor may it create an organization (which it could not reach) on the person's behalf.
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(await asP.PostAsync("/api/organizations", new { name = "Side Org" }), HttpStatusCode.Forbidden, "personal_token_required");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task TokensListedAndRevokedThroughAnOrganization_AreOnlyThoseBoundToIt()
    {
        var (a, p, b) = await TwoOrganizationsAsync();
        var laptop = await p.PostOkAsync<IssuedToken>($"/api/organizations/{a.OrganizationId}/members/{a.OwnerId}/tokens", new { name = "laptop" });
        using var coOwner = await MemberClientAsync(p, b, "Quinn", "owner");
        var boundToB = await coOwner.PostOkAsync<IssuedToken>($"/api/organizations/{b}/members/{a.OwnerId}/tokens", new { name = "B only" });

        var listedInB = await coOwner.GetOkAsync<List<TokenView>>($"/api/organizations/{b}/members/{a.OwnerId}/tokens");
        Assert.Equal([boundToB.Token.Id], listedInB.Select(t => t.Id));

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var bootstrapTokenId = await Db.ScalarAsync<Guid>(fixture.ConnectionString, "SELECT id FROM api_tokens WHERE user_id = @u AND name = 'bootstrap'", ("u", a.OwnerId));
        await ApiClient.ProblemAsync(await coOwner.DeleteAsync($"/api/organizations/{b}/tokens/{bootstrapTokenId}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await coOwner.DeleteAsync($"/api/organizations/{b}/tokens/{laptop.Token.Id}"), HttpStatusCode.NotFound);

        // P's B-bound token, held by whoever B's co-owner gave it to, cannot reach P's other tokens either.
        using var asBoundP = fixture.Host.Client(boundToB.Secret);
        Assert.Equal([boundToB.Token.Id], (await asBoundP.GetOkAsync<List<TokenView>>($"/api/organizations/{b}/members/{a.OwnerId}/tokens")).Select(t => t.Id));
        await ApiClient.ProblemAsync(await asBoundP.DeleteAsync($"/api/organizations/{b}/tokens/{bootstrapTokenId}"), HttpStatusCode.NotFound);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // P, with the personal bootstrap token, sees their personal tokens beside the bound ones.
        var mine = await p.GetOkAsync<List<TokenView>>($"/api/organizations/{a.OrganizationId}/members/{a.OwnerId}/tokens");
        Assert.Contains(mine, t => t.Id == bootstrapTokenId && t.OrganizationId is null);
        Assert.Contains(mine, t => t.Id == laptop.Token.Id && t.OrganizationId is null);
        Assert.DoesNotContain(mine, t => t.Id == boundToB.Token.Id);
    }

    [Fact]
    public async Task ATokenAPersonMintsForThemself_WithAPersonalToken_IsPersonal()
    {
        var (a, p, b) = await TwoOrganizationsAsync();
        var personal = await p.PostOkAsync<IssuedToken>($"/api/organizations/{a.OrganizationId}/members/{a.OwnerId}/tokens", new { name = "laptop" });
        Assert.Null(personal.Token.OrganizationId);
        using var asPersonal = fixture.Host.Client(personal.Secret);
        var reach = (await asPersonal.GetOkAsync<List<OrganizationView>>("/api/organizations")).Select(o => o.Id).ToHashSet();
        Assert.True(reach.SetEquals([a.OrganizationId, b]));
    }

    [Fact]
    public async Task AMemberEmail_IsUniqueWithinItsOrganization_AndSaysNothingAboutOthers()
    {
        var first = await fixture.NewTenantAsync("First");
        var second = await fixture.NewTenantAsync("Second");
        using var ownerOfFirst = fixture.Host.Client(first.Token);
        using var ownerOfSecond = fixture.Host.Client(second.Token);
        var email = $"sam-{Guid.NewGuid():N}@example.org";
        await ownerOfFirst.PostOkAsync<MemberView>($"/api/organizations/{first.OrganizationId}/members", new { displayName = "Sam", email, role = "member" });

        // Another organization may use the same address: nothing tells it the address exists elsewhere.
        await ownerOfSecond.PostOkAsync<MemberView>($"/api/organizations/{second.OrganizationId}/members", new { displayName = "Sam", email, role = "viewer" });

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var problem = await ApiClient.ProblemAsync(
            await ownerOfSecond.PostAsync($"/api/organizations/{second.OrganizationId}/members", new { displayName = "Sam again", email = email.ToUpperInvariant(), role = "viewer" }),
            HttpStatusCode.Conflict, "email_taken");
        Assert.DoesNotContain(email, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task APersonWhoCreatesAnOrganization_MayUseItOnTheirVeryNextRequest()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        await owner.GetOkAsync<List<OrganizationView>>("/api/organizations");
        var created = await owner.PostOkAsync<OrganizationView>("/api/organizations", new { name = "Brand New" });
        await owner.PostOkAsync<MemberView>($"/api/organizations/{created.Id}/members", new { displayName = "First hire", role = "manager" });
    }

    /// <summary>P bootstraps A, then creates B with their personal token; returns P's client.</summary>
    private async Task<(Tenant A, ApiClient P, Guid B)> TwoOrganizationsAsync()
    {
        var a = await fixture.NewTenantAsync("Org A");
        var p = fixture.Host.Client(a.Token);
        var b = await p.PostOkAsync<OrganizationView>("/api/organizations", new { name = "Org B" });
        return (a, p, b.Id);
    }

    private async Task<ApiClient> MemberClientAsync(ApiClient manager, Guid organizationId, string name, string role)
    {
        var member = await manager.PostOkAsync<MemberView>($"/api/organizations/{organizationId}/members", new { displayName = name, role });
        var token = await manager.PostOkAsync<IssuedToken>($"/api/organizations/{organizationId}/members/{member.UserId}/tokens", new { });
        return fixture.Host.Client(token.Secret);
    }
}
