using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Series;
using EventSeries.Wristbands;
using Orleans.Runtime;

namespace EventSeries.Tests.Grains;

/// <summary>
/// Scans racing on a two-silo cluster that logs to PostgreSQL: nobody is admitted twice, capacity
/// is never exceeded, and the grains' state rebuilt from the log agrees with it.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class CheckInConcurrencyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task FiveHundredConcurrentScansOfOneSingleWristband_AdmitExactlyOne()
    {
        var open = await OpenSeriesAsync(wristbands: 1, ReentryPolicy.Single, capacity: null);
        var access = Access(open, 0);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => access.ScanAsync(open.Scan(0))));

        Assert.Single(verdicts, v => v.Allowed);
        Assert.All(verdicts.Where(v => !v.Allowed), v => Assert.Equal(ScanReasons.AlreadyInside, v.Reason));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM checkin_logs WHERE series_id = @s AND result = 'allowed'", open.SeriesId));
        Assert.Equal(500, await CountAsync("SELECT count(*) FROM checkin_logs WHERE series_id = @s", open.SeriesId));
    }

    [Fact]
    public async Task CapacityN_WithThreeNWristbandsScanningAtOnce_AdmitsExactlyN()
    {
        const int capacity = 20;
        var open = await OpenSeriesAsync(wristbands: 3 * capacity, ReentryPolicy.Reentry, capacity);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 3 * capacity).Select(i => Access(open, i).ScanAsync(open.Scan(i))));

        Assert.Equal(capacity, verdicts.Count(v => v.Allowed));
        Assert.All(verdicts.Where(v => !v.Allowed), v => Assert.Equal(ScanReasons.CapacityReached, v.Reason));
        Assert.Equal(capacity, await CountAsync("SELECT sum(occupancy_delta) FROM checkin_logs WHERE series_id = @s", open.SeriesId));
    }

    [Fact]
    public async Task EntriesAndExitsRacing_KeepOccupancyWithinZeroAndCapacity()
    {
        const int capacity = 10;
        var open = await OpenSeriesAsync(wristbands: 30, ReentryPolicy.Reentry, capacity);

        // Every wristband tries in, out, in, out, in as fast as it can, all at once.
        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            for (var round = 0; round < 5; round++)
            {
                await Access(open, i).ScanAsync(open.Scan(i, round % 2 == 0 ? ScanDirection.In : ScanDirection.Out));
            }
        }));

        var occupancy = await CountAsync("SELECT sum(occupancy_delta) FROM checkin_logs WHERE series_id = @s", open.SeriesId);
        Assert.InRange(occupancy, 0, capacity);
        var inside = await CountAsync(
            """
            SELECT count(*) FROM (SELECT DISTINCT ON (wristband_id) direction FROM checkin_logs
            WHERE series_id = @s AND presence_seq IS NOT NULL ORDER BY wristband_id, presence_seq DESC) last WHERE direction = 'in'
            """,
            open.SeriesId);
        Assert.Equal(inside, occupancy);
        var shards = await Task.WhenAll(Enumerable.Range(0, CapacityShards.Count)
            .Select(k => fixture.Grains.GetGrain<ICapacityShardGrain>(CapacityShards.Key(open.SeriesId, k)).GetCountsAsync()));
        Assert.Equal(occupancy, shards.Sum(s => s.Inside));
        Assert.All(shards, s => Assert.InRange(s.Inside, 0, s.Budget));
    }

    [Fact]
    public async Task StateRebuiltFromTheLog_AfterEveryActivationIsGone_AgreesWithIt()
    {
        var open = await OpenSeriesAsync(wristbands: 4, ReentryPolicy.Reentry, capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Access(open, i).ScanAsync(open.Scan(i))).Allowed);
        }

        var retried = open.Scan(3) with { ScanId = Guid.NewGuid() };
        var first = await Access(open, 3).ScanAsync(retried);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(ScanReasons.AlreadyInside, (await Access(open, 0).ScanAsync(open.Scan(0))).Reason);
        Assert.Equal(first, await Access(open, 3).ScanAsync(retried));
        Assert.True((await Access(open, 0).ScanAsync(open.Scan(0, ScanDirection.Out))).Allowed);
        Assert.True((await Access(open, 3).ScanAsync(open.Scan(3))).Allowed, "the place freed by the exit, counted again from the log");
        Assert.Equal(ScanReasons.CapacityReached, (await Access(open, 0).ScanAsync(open.Scan(0))).Reason);
    }

    private IWristbandAccessGrain Access(OpenSeries open, int wristband) =>
        fixture.Grains.GetGrain<IWristbandAccessGrain>(AccessKey.For(open.EventId, open.NfcIds[wristband]));

    private Task<long> CountAsync(string sql, Guid seriesId) => Db.CountAsync(fixture.ConnectionString, sql, ("s", seriesId));

    private async Task<OpenSeries> OpenSeriesAsync(int wristbands, ReentryPolicy reentry, int? capacity)
    {
        var tenant = await Tenant.BootstrapAsync(fixture.ConnectionString);
        var eventId = Guid.NewGuid();
        var events = fixture.Grains.GetGrain<IEventGrain>(eventId);
        await events.CreateAsync(tenant.Owner, tenant.OrganizationId, new EventSpec("Race", null, "UTC"), [new("general", null)]);
        var gate = await events.CreateGateAsync(tenant.Owner, Guid.NewGuid(), new GateSpec("Main", GateKind.Mixed, GateStatus.Open, []));
        var registered = await events.RegisterWristbandsAsync(tenant.Owner,
            [.. Enumerable.Range(0, wristbands).Select(i => new WristbandSpec(Guid.NewGuid(), $"R{eventId:N}"[..16] + i, "general", WristbandStatus.Active))]);
        var start = fixture.Clock.GetUtcNow().AddMinutes(30);
        var series = fixture.Grains.GetGrain<ISeriesGrain>(Guid.NewGuid());
        var created = await series.CreateAsync(tenant.Owner, new NewSeries(
            eventId, new SeriesSpec("Race day", null, start, start.AddHours(4), new CheckInWindow(60, null), capacity, reentry), [gate.Id], []));
        await series.AssignWristbandsAsync(tenant.Owner, new WristbandAssignment([.. registered.Select(w => w.Id)], []));
        await series.TransitionAsync(tenant.Owner, SeriesLifecycle.Scheduled, null);
        await series.TransitionAsync(tenant.Owner, SeriesLifecycle.Active, null);
        return new OpenSeries(tenant.Owner, eventId, created.Id, gate.Id, [.. registered.Select(w => w.NfcId)]);
    }

    private sealed record OpenSeries(Caller Scanner, Guid EventId, Guid SeriesId, Guid GateId, ImmutableArray<string> NfcIds)
    {
        public ScanCommand Scan(int wristband, ScanDirection direction = ScanDirection.In) =>
            new(Scanner, EventId, NfcIds[wristband], GateId, direction, null, null, null);
    }
}
