using EventSeries.Api.Hosting;

namespace EventSeries.Tests.Feed;

/// <summary>
/// The live feed served by the API as its own process (a cluster client, not a silo): the series'
/// feed grain in the silo forwards to the client process's observer, so a scan decided through the
/// silo's API and a transition made through the client's both reach a stream the client serves.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class LiveFeedClusterTests(PostgresServer postgres)
{
    [Fact]
    public async Task AnApiProcessThatIsAClusterClient_StreamsScansAndTransitionsDecidedInTheSilo()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var silo = await ApiHost.StartAsync(connectionString, "feed-client-test");
        await using var api = ClientHost.Build([], new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventSeries"] = connectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:ClusterId"] = "feed-client-test",
            ["Orleans:ServiceId"] = "eventseries-tests",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await api.StartAsync(TestContext.Current.CancellationToken);
        var tenant = await Tenant.BootstrapAsync(connectionString);
        using var viaSilo = silo.Client(tenant.Token);
        using var viaClient = new ApiClient(new HttpClient { BaseAddress = new Uri(api.Urls.First()) }, tenant.Token);
        var g = await GateScenario.CreateAsync(viaSilo, silo.Clock.GetUtcNow());
        silo.Clock.Advance(TimeSpan.FromMilliseconds(1));

        await using (var feed = await FeedClient.OpenAsync(new Uri(api.Urls.First()), tenant.Token, $"/api/series/{g.Series.Id}/feed"))
        {
            var verdict = await g.ScanAsync(g.Wristbands[0].NfcId);
            var checkin = await feed.NextOfTypeAsync("checkin");
            Assert.Equal(verdict.CheckinId, checkin.Json.GetProperty("id").GetGuid());

            await viaClient.PostOkAsync<EventSeries.Series.SeriesTransition>($"/api/series/{g.Series.Id}/transitions", new { to = "completed" });
            var transition = await feed.NextOfTypeAsync("transition");
            Assert.Equal("completed", transition.Text("to"));
        }

        await api.StopAsync(TestContext.Current.CancellationToken);
    }
}
