using System.Net;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Secrets;
using EventSeries.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// SSRF (refused URLs when saved, and refused addresses again when connecting), tenancy (another
/// organization's subscription ids are 404) and bad input (400, nothing changed).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class WebhookSecurityTests(PostgresServer postgres)
{
    private static readonly Dictionary<string, string?> PublicOnly = new() { ["EventSeries:Webhooks:AllowPrivateNetworks"] = "false" };

    [Fact]
    public async Task WithoutAllowPrivateNetworks_ARefusedUrl_Is400_AndNothingIsStored()
    {
        await using var world = await WebhookWorld.StartAsync(postgres, PublicOnly);
        var before = await Db.FingerprintAsync(world.Host.ConnectionString);
        string[] refused =
        [
            "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data",
            "http://10.1.2.3/hook", "http://172.20.0.1/hook", "http://192.168.1.10/hook", "http://100.64.0.1/hook", "http://0.0.0.0/hook",
            "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://224.0.0.1/hook", "http://[::ffff:127.0.0.1]/hook",
            "ftp://example.com/hook", "file:///etc/passwd", "http://user:password@example.com/hook", "not a url",
        ];

        foreach (var url in refused)
        {
            var problem = await ApiClient.ProblemAsync(
                await world.Client.PostAsync(world.Base, new { url, eventTypes = new[] { "checkin.created" } }), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), $"{url}: {problem}");
        }

        Assert.Equal(before, await Db.FingerprintAsync(world.Host.ConnectionString));
    }

    [Fact]
    public async Task AnAddressThatTurnsPrivateAfterSaving_IsRefusedWhenConnecting_AndTheAttemptSaysWhy()
    {
        await using var world = await WebhookWorld.StartAsync(postgres, PublicOnly);

        // As if the URL's name resolved to a public address when saved and now rebinds to loopback:
        // the row is written directly, past the check the API makes.
        var id = Guid.CreateVersion7();
        var protector = world.Host.App.Services.GetRequiredService<SecretProtector>();
        var (key, secret) = WebhookSignature.NewSecret();
        await Db.ExecuteAsync(
            world.Host.ConnectionString,
            """
            INSERT INTO webhook_subscriptions (id, organization_id, url, event_types, ciphertext, key_id, status, created_at, created_by, updated_at)
            VALUES (@id, @org, @url, ARRAY['series.transitioned'], @ciphertext, @keyId, 'active', now(), 'test', now())
            """,
            ("id", id), ("org", world.Tenant.OrganizationId), ("url", world.Receiver.Url()),
            ("ciphertext", protector.Encrypt(world.Tenant.OrganizationId, SecretProtector.WebhookOutPurpose, id, key)), ("keyId", protector.KeyId));
        world.Receiver.UseSecret(secret);
        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        var delivery = await Eventually.ValueAsync(async () => (await world.DeliveriesAsync(id))[0], d => d.Attempts >= 1);
        Assert.Equal("pending", delivery.Status);
        Assert.StartsWith("refused address:", delivery.LastError);
        Assert.Contains("loopback", delivery.LastError);
        Assert.Empty(world.Receiver.All);
    }

    [Fact]
    public async Task AnotherOrganizationsSubscriptionIds_Are404_ThroughEitherOrganization()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var mine = await world.SubscribeAsync("series.transitioned");
        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());
        var delivery = (await world.AcceptedAsync(1))[0].Id;
        var other = await Tenant.BootstrapAsync(world.Host.ConnectionString, "Other Org");
        using var them = world.Host.Client(other.Token);
        var before = await Db.FingerprintAsync(world.Host.ConnectionString);

        foreach (var path in new[] { $"/api/organizations/{other.OrganizationId}/webhooks/{mine.Id}", $"{world.Base}/{mine.Id}" })
        {
            await ApiClient.ProblemAsync(await them.GetAsync(path), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.SendAsync(HttpMethod.Patch, path, new { description = "mine now" }), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.PostAsync($"{path}/rotate-secret", new { }), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.PostAsync($"{path}/resume", new { }), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.PostAsync($"{path}/replay", new { from = 1 }), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.GetAsync($"{path}/deliveries"), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.GetAsync($"{path}/deliveries/{delivery}/attempts"), HttpStatusCode.NotFound);
            await ApiClient.ProblemAsync(await them.DeleteAsync(path), HttpStatusCode.NotFound);
        }

        // Their own (empty) list does not show it, and nothing changed.
        Assert.Empty(await them.GetOkAsync<ImmutableArray<WebhookSubscriptionView>>($"/api/organizations/{other.OrganizationId}/webhooks"));
        Assert.Equal(before, await Db.FingerprintAsync(world.Host.ConnectionString));

        // A delivery id of another subscription is 404 under this one, too.
        var second = await world.SubscribeAsync("ticket.updated");
        await ApiClient.ProblemAsync(await world.Client.GetAsync($"{world.Base}/{second.Id}/deliveries/{delivery}/attempts"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadInput_Is400NamingTheField_AndChangesNothing()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var mine = await world.SubscribeAsync("checkin.created");
        var before = await Db.FingerprintAsync(world.Host.ConnectionString);

        var unknownType = await ApiClient.ProblemAsync(
            await world.Client.PostAsync(world.Base, new { url = world.Receiver.Url(), eventTypes = new[] { "checkin.created", "wristband.eaten" } }), HttpStatusCode.BadRequest);
        Assert.True(unknownType.GetProperty("errors").TryGetProperty("eventTypes", out _));
        await ApiClient.ProblemAsync(await world.Client.PostAsync(world.Base, new { url = world.Receiver.Url() }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await world.Client.SendAsync(HttpMethod.Patch, $"{world.Base}/{mine.Id}", new { eventTypes = Array.Empty<string>() }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await world.Client.SendAsync(HttpMethod.Patch, $"{world.Base}/{mine.Id}", new { url = "gopher://example.com" }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await world.Client.SendRawAsync(HttpMethod.Patch, $"{world.Base}/{mine.Id}", """{"status": "sleeping"}"""), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await world.Client.PostAsync($"{world.Base}/{mine.Id}/replay", new { }), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await world.Client.GetAsync($"{world.Base}/{mine.Id}/deliveries?limit=0"), HttpStatusCode.BadRequest);

        Assert.Equal(before, await Db.FingerprintAsync(world.Host.ConnectionString));
        Assert.Equal(WebhookSubscriptionStatus.Active, (await world.GetAsync(mine.Id)).Status);
    }

    [Fact]
    public async Task RotatingTheSecret_ShowsANewOneOnce_AndDeliveriesAreSignedWithIt()
    {
        await using var world = await WebhookWorld.StartAsync(postgres);
        var mine = await world.SubscribeAsync("series.transitioned");
        var rotated = await world.Client.PostOkAsync<IssuedWebhookSubscription>($"{world.Base}/{mine.Id}/rotate-secret", new { }, HttpStatusCode.OK);
        world.Receiver.UseSecret(rotated.SigningSecret);

        await GateScenario.CreateAsync(world.Client, world.Host.Clock.GetUtcNow());

        Assert.All(await world.AcceptedAsync(2), r => Assert.True(r.Signed, "signed with the rotated secret"));
        var shown = await (await world.Client.GetAsync($"{world.Base}/{mine.Id}")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(rotated.SigningSecret["whsec_".Length..], shown);
    }
}
