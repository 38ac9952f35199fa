using EventSeries.Tests.Grains.Probes;
using Orleans.Runtime;
using Orleans.Storage;

namespace EventSeries.Tests.Grains;

/// <summary>
/// Our own SQL for the Orleans ADO.NET providers keeps their contract: state round-trips through
/// PostgreSQL, a stale write is refused, reminders are durable rows.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class OrleansProviderTests(ClusterFixture fixture)
{
    private const string StorageTable = "orleansstorage";
    private const string RemindersTable = "orleansreminderstable";

    [Fact]
    public async Task GrainState_RoundTripsThroughPostgres_AcrossDeactivation()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        var grain = fixture.Grains.GetGrain<IProbeStateGrain>(key);
        await grain.IncrementAsync();
        await grain.IncrementAsync();

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(2, await grain.ReadAsync());
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            $"SELECT count(*) FROM {StorageTable} WHERE graintypestring = @name AND grainidn1 = @key", ("name", ProbeStateGrain.StateName), ("key", key)));
        Assert.Equal(3, await grain.IncrementAsync());
    }

    [Fact]
    public async Task GrainState_WriteWithAStaleVersion_IsRefused()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        var grain = fixture.Grains.GetGrain<IProbeStateGrain>(key);
        await grain.IncrementAsync();

        // Someone else (a duplicate activation, say) wrote in between.
        await Db.CountAsync(fixture.ConnectionString,
            $"WITH bumped AS (UPDATE {StorageTable} SET version = version + 1 WHERE graintypestring = @name AND grainidn1 = @key RETURNING 1) SELECT count(*) FROM bumped",
            ("name", ProbeStateGrain.StateName), ("key", key));

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => grain.IncrementAsync());
    }

    [Fact]
    public async Task GrainState_Clear_ForgetsTheState()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        var grain = fixture.Grains.GetGrain<IProbeStateGrain>(key);
        await grain.IncrementAsync();
        await grain.ClearAsync();
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(0, await grain.ReadAsync());
    }

    [Fact]
    public async Task Reminder_IsARowInPostgres_ThatOutlivesTheActivation_AndCanBeRemoved()
    {
        var grain = fixture.Grains.GetGrain<IProbeReminderGrain>(Guid.NewGuid());
        await grain.RegisterAsync("probe", TimeSpan.FromMinutes(7));
        var grainId = grain.GetGrainId().ToString();

        Assert.Equal(7 * 60_000, await Db.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT period FROM {RemindersTable} WHERE grainid = @grainId AND remindername = 'probe'", ("grainId", grainId)));
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.True(await grain.ExistsAsync("probe"));

        await grain.UnregisterAsync("probe");
        Assert.False(await grain.ExistsAsync("probe"));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, $"SELECT count(*) FROM {RemindersTable} WHERE grainid = @grainId", ("grainId", grainId)));
    }
}
