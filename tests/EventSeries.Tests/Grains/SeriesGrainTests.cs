using EventSeries.Series;
using Orleans.Runtime;

namespace EventSeries.Tests.Grains;

[Collection(ClusterCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class SeriesGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Series_WalksTheWholeLifecycle_AndEveryTransitionIsARowInPostgres()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(Grains, tenant);
        var series = Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());

        var created = await series.CreateAsync(tenant.Owner, data.NewSeries());
        Assert.Equal(SeriesLifecycle.Draft, created.Lifecycle);
        await series.TransitionAsync(tenant.Owner, SeriesLifecycle.Scheduled, "published");
        await series.TransitionAsync(tenant.As(Role.Manager), SeriesLifecycle.Active, null);
        await series.TransitionAsync(tenant.Owner, SeriesLifecycle.Completed, "over");

        var transitions = await series.GetTransitionsAsync(tenant.Owner);
        Assert.Equal([null, SeriesLifecycle.Draft, SeriesLifecycle.Scheduled, SeriesLifecycle.Active], transitions.Select(t => t.From));
        Assert.Equal([SeriesLifecycle.Draft, SeriesLifecycle.Scheduled, SeriesLifecycle.Active, SeriesLifecycle.Completed], transitions.Select(t => t.To));
        Assert.All(transitions, t => Assert.Equal(tenant.OwnerId, t.ActorUserId));
        Assert.Equal("published", transitions[1].Reason);
        Assert.Equal(4, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_state_transitions WHERE series_id = @id", ("id", created.Id)));
        Assert.Equal("completed", await Db.ScalarAsync<string>(fixture.ConnectionString, "SELECT lifecycle_status FROM event_series WHERE id = @id", ("id", created.Id)));
    }

    [Theory]
    [InlineData(SeriesLifecycle.Draft, SeriesLifecycle.Active)]
    [InlineData(SeriesLifecycle.Draft, SeriesLifecycle.Completed)]
    [InlineData(SeriesLifecycle.Draft, SeriesLifecycle.Draft)]
    [InlineData(SeriesLifecycle.Scheduled, SeriesLifecycle.Draft)]
    [InlineData(SeriesLifecycle.Scheduled, SeriesLifecycle.Completed)]
    [InlineData(SeriesLifecycle.Active, SeriesLifecycle.Scheduled)]
    [InlineData(SeriesLifecycle.Completed, SeriesLifecycle.Cancelled)]
    [InlineData(SeriesLifecycle.Cancelled, SeriesLifecycle.Draft)]
    public async Task IllegalTransition_IsRefused_AndChangesNothing(SeriesLifecycle reach, SeriesLifecycle to)
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(Grains, tenant, general: 1, vip: 0);
        var series = Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        var created = await series.CreateAsync(tenant.Owner, data.NewSeries());
        foreach (var step in PathTo(reach))
        {
            await series.TransitionAsync(tenant.Owner, step, null);
        }

        var before = await series.GetAsync(tenant.Owner);
        var refused = await Assert.ThrowsAsync<DomainException>(() => series.TransitionAsync(tenant.Owner, to, null));

        Assert.Equal("illegal_transition", refused.Code);
        Assert.Equivalent(before, await series.GetAsync(tenant.Owner), strict: true);
        Assert.Equal(PathTo(reach).Length + 1, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_state_transitions WHERE series_id = @id", ("id", created.Id)));
    }

    [Fact]
    public async Task Series_ReloadsEverythingFromPostgres_AfterItsActivationIsGone()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(Grains, tenant);
        var series = Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        await series.CreateAsync(tenant.Owner, data.NewSeries(limits: [new CategoryLimit("vip", 2)]));
        await series.AssignWristbandsAsync(tenant.Owner, new WristbandAssignment([.. data.Wristbands.Select(w => w.Id)], []));
        await series.TransitionAsync(tenant.Owner, SeriesLifecycle.Scheduled, null);
        var before = await series.GetAsync(tenant.Owner);

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var after = await series.GetAsync(tenant.Owner);
        Assert.Equivalent(before, after, strict: true);
        Assert.Equal(7, after.AssignedWristbands);
        Assert.Equal(2, (await series.GetTransitionsAsync(tenant.Owner)).Length);
    }

    [Fact]
    public async Task AssignBeyondTheCategoryLimit_IsRefusedWithTheReason_AndAssignsNone()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(Grains, tenant, general: 3, vip: 3);
        var series = Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        var created = await series.CreateAsync(tenant.Owner, data.NewSeries(limits: [new CategoryLimit("vip", 2)]));

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            series.AssignWristbandsAsync(tenant.Owner, new WristbandAssignment([.. data.Wristbands.Select(w => w.Id)], [])));

        Assert.Equal("category_limit_exceeded", refused.Code);
        Assert.Contains("'vip' allows 2", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await series.GetAsync(tenant.Owner)).AssignedWristbands);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_wristband_assignments WHERE series_id = @id", ("id", created.Id)));
    }

    [Fact]
    public async Task AssignWithinTheLimit_CountsPerCategory_AndReassigningChangesNothing()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(Grains, tenant, general: 3, vip: 2);
        var series = Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        await series.CreateAsync(tenant.Owner, data.NewSeries(limits: [new CategoryLimit("vip", 2)]));
        var all = new WristbandAssignment([.. data.Wristbands.Select(w => w.Id)], []);

        var first = await series.AssignWristbandsAsync(tenant.Owner, all);
        var again = await series.AssignWristbandsAsync(tenant.Owner, all);

        Assert.Equal((5, 0), (first.Assigned, first.AlreadyAssigned));
        Assert.Equal((0, 5), (again.Assigned, again.AlreadyAssigned));
        Assert.Equal([new CategoryLimitView("general", null, 3), new CategoryLimitView("vip", 2, 2)], again.Categories);
        var lowering = await Assert.ThrowsAsync<DomainException>(() => series.SetCategoryLimitsAsync(tenant.Owner, [new CategoryLimit("vip", 1)]));
        Assert.Equal("limit_below_assigned", lowering.Code);
    }

    [Fact]
    public async Task Series_IsNotFoundForAnotherOrganization_AndForbiddenForAViewerToEdit()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var stranger = await Tenant.BootstrapAsync(fixture.ConnectionString, "Other Org");
        var data = await EventFixtureData.CreateAsync(Grains, tenant);
        var series = Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        var created = await series.CreateAsync(tenant.Owner, data.NewSeries());

        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => series.GetAsync(stranger.Owner))).Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() =>
            series.TransitionAsync(stranger.Owner, SeriesLifecycle.Cancelled, null))).Kind);
        Assert.Equal(DomainErrorKind.Forbidden, (await Assert.ThrowsAsync<DomainException>(() =>
            series.UpdateAsync(tenant.As(Role.Viewer), created.ToSpec() with { Name = "x" }))).Kind);
        Assert.Equal(created.Name, (await series.GetAsync(tenant.As(Role.Viewer))).Name);
        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() =>
            Grains.GetGrain<ISeriesGrain>(Guid.NewGuid()).CreateAsync(stranger.Owner, data.NewSeries()))).Kind);
    }

    [Fact]
    public async Task CreatingWithAGateOfAnotherEvent_IsInvalid_AndWritesNothing()
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var data = await EventFixtureData.CreateAsync(Grains, tenant);
        var other = await EventFixtureData.CreateAsync(Grains, tenant);
        var id = Guid.NewGuid();

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            Grains.GetGrain<ISeriesGrain>(id).CreateAsync(tenant.Owner, data.NewSeries() with { GateIds = [other.Gates[0].Id] }));

        Assert.Equal(DomainErrorKind.Validation, refused.Kind);
        Assert.Contains("gateIds", refused.Errors!.Keys);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM event_series WHERE id = @id", ("id", id)));
    }

    private static SeriesLifecycle[] PathTo(SeriesLifecycle state) => state switch
    {
        SeriesLifecycle.Draft => [],
        SeriesLifecycle.Scheduled => [SeriesLifecycle.Scheduled],
        SeriesLifecycle.Active => [SeriesLifecycle.Scheduled, SeriesLifecycle.Active],
        SeriesLifecycle.Completed => [SeriesLifecycle.Scheduled, SeriesLifecycle.Active, SeriesLifecycle.Completed],
        _ => [SeriesLifecycle.Cancelled],
    };
}

internal static class SeriesViewExtensions
{
    public static SeriesSpec ToSpec(this SeriesView view) => new(view.Name, view.Description, view.StartsAt, view.EndsAt, view.Window, view.Capacity);
}
