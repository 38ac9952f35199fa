using System.Net;
using EventSeries.Api.Hosting;
using EventSeries.Series;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace EventSeries.Tests.Api;

/// <summary>Silos started against one database form one cluster; the API also runs as a separate client process.</summary>
[Trait("Category", "Postgres")]
public sealed class ClusterTests(PostgresServer postgres)
{
    [Fact]
    public async Task TwoSilos_OnOneDatabase_FormOneCluster_AndShareEveryGrain()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = await ApiHost.StartAsync(connectionString, "shared");
        await using var second = await ApiHost.StartAsync(connectionString, "shared");
        await first.WaitForActiveSilosAsync(2);

        Assert.Equal(2, await Db.CountAsync(connectionString, "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = 'shared' AND status = 3"));
        var tenant = await Tenant.BootstrapAsync(connectionString);
        using var viaFirst = first.Client(tenant.Token);
        using var viaSecond = second.Client(tenant.Token);
        var s = await Scenario.CreateAsync(viaFirst);
        await viaSecond.PostOkAsync<SeriesTransition>($"/api/series/{s.Series.Id}/transitions", new { to = "scheduled" });
        Assert.Equal(SeriesLifecycle.Scheduled, (await viaFirst.GetOkAsync<SeriesView>($"/api/series/{s.Series.Id}")).Lifecycle);

        await second.StopAsync();
        Assert.Equal(1, await Db.CountAsync(connectionString, "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = 'shared' AND status = 6"));
        Assert.Equal(SeriesLifecycle.Scheduled, (await viaFirst.GetOkAsync<SeriesView>($"/api/series/{s.Series.Id}")).Lifecycle);
    }

    [Fact]
    public async Task ApiProcess_AsAClusterClient_ServesTheSameApi_AndIsReady()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var silo = await ApiHost.StartAsync(connectionString, "client-test");
        await using var api = ClientHost.Build([], new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventSeries"] = connectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:ClusterId"] = "client-test",
            ["Orleans:ServiceId"] = "eventseries-tests",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await api.StartAsync(TestContext.Current.CancellationToken);
        var tenant = await Tenant.BootstrapAsync(connectionString);
        using var client = new ApiClient(new HttpClient { BaseAddress = new Uri(api.Urls.First()) }, tenant.Token);

        var s = await Scenario.CreateAsync(client);
        using var viaSilo = silo.Client(tenant.Token);
        Assert.Equal(s.Series.Name, (await viaSilo.GetOkAsync<SeriesView>($"/api/series/{s.Series.Id}")).Name);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        await api.StopAsync(TestContext.Current.CancellationToken);
    }
}
