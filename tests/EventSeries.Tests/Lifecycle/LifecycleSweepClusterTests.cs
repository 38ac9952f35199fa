using EventSeries.Grains.Lifecycle;
using EventSeries.Grains.Series;
using EventSeries.Series;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Lifecycle;

/// <summary>Every silo sweeps; the series grain is the single writer, so however many ask, each transition happens once.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class LifecycleSweepClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task SweepsOnBothSilos_AndRepeatedAsks_LogEachAutomaticTransitionOnce()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(fixture.Grains, tenant, general: 1, vip: 0);
        var start = fixture.Clock.GetUtcNow().AddHours(2);
        var series = fixture.Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        var created = await series.CreateAsync(tenant.Owner, data.NewSeries() with
        {
            Spec = new SeriesSpec("Night", null, start, start.AddHours(3), new CheckInWindow(60, null), null),
        });
        await series.TransitionAsync(tenant.Owner, SeriesLifecycle.Scheduled, null);
        var lifecycle = fixture.Grains.GetGrain<ISeriesLifecycleGrain>(created.Id);
        var sweepers = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<LifecycleSweeper>()).ToList();
        Assert.Equal(2, sweepers.Count);

        fixture.Clock.Advance(TimeSpan.FromHours(1.5));
        var asks = sweepers.Select(s => (Task)s.SweepAsync(TestContext.Current.CancellationToken))
            .Concat(Enumerable.Range(0, 10).Select(_ => (Task)lifecycle.AdvanceLifecycleAsync()));
        await Task.WhenAll(asks);

        Assert.Equal(SeriesLifecycle.Active, (await series.GetAsync(tenant.Owner)).Lifecycle);
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_state_transitions WHERE series_id = @s AND to_status = 'active' AND actor = 'system' AND actor_user_id IS NULL",
            ("s", created.Id)));
        Assert.Equal(SeriesLifecycle.Active, await lifecycle.AdvanceLifecycleAsync());
        Assert.Equal(3, (await series.GetTransitionsAsync(tenant.Owner)).Length);
    }
}
