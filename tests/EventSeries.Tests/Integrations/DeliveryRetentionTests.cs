using System.Net;
using EventSeries.Api.Integrations;
using EventSeries.Persistence.Integrations;
using EventSeries.Persistence.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// Delivery ids are remembered long enough to answer a sender's retries as the first delivery was
/// answered (7 days by default), then forgotten, so the table does not grow for ever.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class DeliveryRetentionTests(ApiFixture fixture)
{
    [Fact]
    public async Task AnsweredDeliveries_AreForgottenAfterTheRetention_RecentOnesAndOpenClaimsStay()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var now = fixture.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await w.Payments.SendAsync(w.Payment("payment.paid", now), id: "msg_recent")).StatusCode);
        const string insert =
            """
            INSERT INTO integration_deliveries (organization_id, delivery_id, kind, body_hash, claimed_at, answered_at, status, answer)
            VALUES (@org, @id, 'payments', '\x00', @at, @answered, @status, '{}')
            """;
        var eightDaysAgo = (now - TimeSpan.FromDays(8)).UtcDateTime;
        await Db.ExecuteAsync(fixture.ConnectionString, insert, ("org", w.Tenant.OrganizationId), ("id", "msg_old"), ("at", eightDaysAgo), ("answered", eightDaysAgo), ("status", 200));
        await Db.ExecuteAsync(fixture.ConnectionString, insert, ("org", w.Tenant.OrganizationId), ("id", "msg_open_claim"), ("at", eightDaysAgo), ("answered", DBNull.Value), ("status", DBNull.Value));

        var clock = new FakeTimeProvider(now);
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        var options = Options.Create(new IntegrationOptions { DeliveryRetention = TimeSpan.FromDays(7), DeliveryCleanupPeriod = TimeSpan.FromHours(1) });
        using var cleanup = new DeliveryCleanup(new DeliveryStore(db), new DomainTime(clock), options, NullLogger<DeliveryCleanup>.Instance);
        var pass = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        cleanup.Cleaned += forgotten => pass.TrySetResult(forgotten);
        await cleanup.StartAsync(TestContext.Current.CancellationToken);

        Assert.False(pass.Task.IsCompleted, "nothing runs before the first period");
        clock.Advance(TimeSpan.FromHours(1));
        var forgotten = await pass.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await cleanup.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(forgotten >= 1, $"forgot {forgotten}");
        Assert.Equal(
            "msg_open_claim,msg_recent",
            await Db.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT string_agg(delivery_id, ',' ORDER BY delivery_id) FROM integration_deliveries WHERE organization_id = @org", ("org", w.Tenant.OrganizationId)));
    }

    [Fact]
    public void ARetentionShorterThanAnHour_IsRefusedAtStart()
    {
        var results = new IntegrationOptions { DeliveryRetention = TimeSpan.FromMinutes(5) }.Validate(new(new object())).ToList();
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(IntegrationOptions.DeliveryRetention)));
    }
}
