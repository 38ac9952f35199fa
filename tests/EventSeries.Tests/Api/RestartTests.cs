using System.Net;
using EventSeries.Series;

namespace EventSeries.Tests.Api;

/// <summary>Everything survives stopping and starting every process.</summary>
[Trait("Category", "Postgres")]
public sealed class RestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task AllState_SurvivesARestartOfTheWholeSystem()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        SeriesView before;
        ImmutableArray<SeriesTransition> transitionsBefore;
        using (var client = host.Client(tenant.Token))
        {
            var s = await Scenario.CreateAsync(client);
            await client.PostOkAsync<AssignmentResult>($"/api/series/{s.Series.Id}/wristbands/bulk", new { nfcIds = s.Wristbands.Select(w => w.NfcId) }, HttpStatusCode.OK);
            await s.TransitionAsync(SeriesLifecycle.Scheduled, "published");
            before = await s.ReloadAsync();
            transitionsBefore = await client.GetOkAsync<ImmutableArray<SeriesTransition>>($"/api/series/{s.Series.Id}/transitions");
        }

        await host.RestartAsync();

        using var after = host.Client(tenant.Token);
        Assert.Equivalent(before, await after.GetOkAsync<SeriesView>($"/api/series/{before.Id}"), strict: true);
        Assert.Equivalent(transitionsBefore, await after.GetOkAsync<ImmutableArray<SeriesTransition>>($"/api/series/{before.Id}/transitions"), strict: true);
        var transition = await after.PostOkAsync<SeriesTransition>($"/api/series/{before.Id}/transitions", new { to = "active" });
        Assert.Equal(SeriesLifecycle.Scheduled, transition.From);
    }
}
