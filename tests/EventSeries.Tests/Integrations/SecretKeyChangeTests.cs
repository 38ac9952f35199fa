using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using EventSeries.Persistence.Secrets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// Changing the key that encrypts webhook signing secrets at rest: with the old key among
/// PreviousSecretKeys every secret still works; reencrypt-secrets moves every secret (incoming and
/// outgoing) under the new key, twice harmlessly; then the old key can go and the secrets still sign.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class SecretKeyChangeTests(PostgresServer postgres)
{
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task WithTheOldKeyAsPrevious_SecretsStillWork_ReencryptionMovesThemAll_ThenTheOldKeyCanGo()
    {
        var database = await postgres.CreateDatabaseAsync();
        Tenant tenant;
        string signingSecret;
        await using (var before = await ApiHost.StartAsync(database))
        {
            tenant = await Tenant.BootstrapAsync(database);
            using var owner = before.Client(tenant.Token);
            signingSecret = (await owner.PostOkAsync<JsonElement>($"/api/organizations/{tenant.OrganizationId}/integrations/payments/secrets", new { }))
                .GetProperty("signingSecret").GetString()!;
            await owner.PostOkAsync<JsonElement>($"/api/organizations/{tenant.OrganizationId}/webhooks",
                new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "series.transitioned" } });
        }

        // The new key alone: the stored secret no longer decrypts, so its signatures are refused.
        await using (var newOnly = await StartAsync(database, previous: null))
        {
            await ApiClient.ProblemAsync(await SendAsync(newOnly, tenant, signingSecret), HttpStatusCode.Unauthorized, "signature_invalid");
        }

        // With the old key as a previous one, it does (422: signed right, the ticket is unknown).
        await using (var both = await StartAsync(database, previous: ApiHost.TestSecretKey))
        {
            await ApiClient.ProblemAsync(await SendAsync(both, tenant, signingSecret), HttpStatusCode.UnprocessableEntity, "unknown_ticket");
        }

        var protector = new SecretProtector(Options.Create(new IntegrationOptions { SecretKey = NewKey, PreviousSecretKeys = [ApiHost.TestSecretKey] }));
        await using var db = NpgsqlDataSource.Create(database);
        var first = await new SecretReencryption(db, protector).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal((2, 0, 0), (first.Reencrypted, first.AlreadyCurrent, first.Undecryptable.Count));
        var again = await new SecretReencryption(db, protector).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0, 2, 0), (again.Reencrypted, again.AlreadyCurrent, again.Undecryptable.Count));
        Assert.Equal(0, await Db.CountAsync(database,
            "SELECT (SELECT count(*) FROM integration_secrets WHERE key_id <> @k) + (SELECT count(*) FROM webhook_subscriptions WHERE key_id <> @k)",
            ("k", protector.KeyId)));

        // The old key is gone from the configuration; the secret signs as before.
        await using var after = await StartAsync(database, previous: null);
        await ApiClient.ProblemAsync(await SendAsync(after, tenant, signingSecret), HttpStatusCode.UnprocessableEntity, "unknown_ticket");
    }

    [Fact]
    public async Task ASecretNoConfiguredKeyDecrypts_IsNamed_AndLeftAsItIs()
    {
        var database = await postgres.CreateDatabaseAsync();
        Guid secretId;
        await using (var host = await ApiHost.StartAsync(database))
        {
            var tenant = await Tenant.BootstrapAsync(database);
            using var owner = host.Client(tenant.Token);
            secretId = (await owner.PostOkAsync<JsonElement>($"/api/organizations/{tenant.OrganizationId}/integrations/crm/secrets", new { }))
                .GetProperty("secret").GetProperty("id").GetGuid();
        }

        var fingerprint = await Db.FingerprintAsync(database);
        var protector = new SecretProtector(Options.Create(new IntegrationOptions { SecretKey = NewKey }));
        await using var db = NpgsqlDataSource.Create(database);
        var result = await new SecretReencryption(db, protector).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal([secretId], result.Undecryptable);
        Assert.Equal(0, result.Reencrypted);
        Assert.Equal(fingerprint, await Db.FingerprintAsync(database));
    }

    private static Task<ApiHost> StartAsync(string database, string? previous)
    {
        var settings = new Dictionary<string, string?> { ["EventSeries:Integrations:SecretKey"] = NewKey };
        if (previous is not null)
        {
            settings["EventSeries:Integrations:PreviousSecretKeys:0"] = previous;
        }

        return ApiHost.StartAsync(database, settings: settings);
    }

    private static async Task<HttpResponseMessage> SendAsync(ApiHost host, Tenant tenant, string secret)
    {
        using var sender = new WebhookSender(host.BaseAddress, tenant.OrganizationId, "payments", secret, host.Clock);
        return await sender.SendAsync(WebhookSender.Body("payment.refunded", new { source = "shop", externalId = "NO-SUCH-ORDER" }, host.Clock.GetUtcNow()));
    }
}
