using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// Deliveries are limited per organization and minute, forged ones included, so a flood of made-up
/// signatures costs a bounded number of secret reads; one organization's flood does not limit another.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class WebhookRateLimitTests(PostgresServer postgres)
{
    [Fact]
    public async Task PastTheLimit_DeliveriesAre429WithRetryAfter_PerOrganization()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["EventSeries:Integrations:PermitsPerMinute"] = "3",
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var flooded = Guid.NewGuid();
        using var forger = new WebhookSender(host.BaseAddress, flooded, "payments", "whsec_" + Convert.ToBase64String(new byte[32]), clock);
        using var other = new WebhookSender(host.BaseAddress, Guid.NewGuid(), "payments", "whsec_" + Convert.ToBase64String(new byte[32]), clock);
        var body = WebhookSender.Body("payment.paid", new { ticketId = Guid.NewGuid() });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await forger.SendAsync(body)).StatusCode);
        }

        var limited = await forger.SendAsync(body);
        var problem = await ApiClient.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        Assert.Contains("retry later", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.SendAsync(body)).StatusCode);
    }
}
