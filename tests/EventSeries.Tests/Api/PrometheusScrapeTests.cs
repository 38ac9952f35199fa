using System.Net;
using System.Net.Http.Headers;
using EventSeries.Api.Auth;

namespace EventSeries.Tests.Api;

/// <summary>
/// <c>/metrics</c> is for ops only: absent unless a scrape token or network is configured, 401 to
/// anyone else, and once scraped it shows our own instruments (scans by result, reason and gate, the
/// scan latency, the log writer's batches) next to Orleans' active grains by type.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class PrometheusScrapeTests(PostgresServer postgres)
{
    private const string ScrapeToken = "scrape-0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task WithoutAScrapeTokenOrNetwork_ThereIsNoMetricsEndpoint()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task WithAToken_OnlyTheTokenScrapes_AndTheScrapeShowsScansLatencyLogBatchesAndGrains()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var host = await ApiHost.StartAsync(database, settings: new Dictionary<string, string?>
        {
            ["EventSeries:Telemetry:MetricsToken"] = ScrapeToken,
        });
        var tenant = await Tenant.BootstrapAsync(database);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 1, vip: 0);
        Assert.True((await g.ScanAsync(g.Wristbands[0].NfcId)).Allowed);
        Assert.False((await g.ScanAsync(g.Unassigned.NfcId)).Allowed);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var anonymous = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        await ApiClient.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await ApiClient.ProblemAsync(await ScrapeAsync(http, tenant.Token), HttpStatusCode.Unauthorized); // an API token is no scrape token

        // Scrapes are not sign-ins: many of them never reach the failed-authentication throttle.
        for (var i = 0; i <= AuthenticationThrottle.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScrapeAsync(http, ScrapeToken)).StatusCode);
        }

        var text = await Eventually.ValueAsync(
            async () => await (await ScrapeAsync(http, ScrapeToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            t => t.Contains("eventseries_scans_total", StringComparison.Ordinal) && t.Contains("reason=\"not_assigned\"", StringComparison.Ordinal));
        Assert.Contains($"gate=\"{g.Main.Id}\"", text, StringComparison.Ordinal);
        Assert.Matches("eventseries_scans_total\\{[^}]*result=\"allowed\"", text);
        Assert.Contains("eventseries_scan_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("eventseries_checkin_log_batch_size_bucket", text, StringComparison.Ordinal);
        Assert.Contains("eventseries_checkin_log_commit_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Matches("orleans_grains\\{[^}]*wristband", text);
    }

    [Fact]
    public async Task FromAConfiguredNetwork_AScrapeNeedsNoToken()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["EventSeries:Telemetry:MetricsNetworks:0"] = "127.0.0.0/8",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var scrape = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AShortTokenOrABadNetwork_StopsTheHostAtStart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var failure = await Record.ExceptionAsync(() => ApiHost.StartAsync(database, settings: new Dictionary<string, string?>
        {
            ["EventSeries:Telemetry:MetricsToken"] = "short",
            ["EventSeries:Telemetry:MetricsNetworks:0"] = "not-a-network",
        }));

        var text = failure?.ToString() ?? "";
        Assert.Contains("MetricsToken must be at least 32 characters", text, StringComparison.Ordinal);
        Assert.Contains("'not-a-network'", text, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> ScrapeAsync(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
