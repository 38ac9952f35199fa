using System.Net;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Persistence.Queries;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Lifecycle;

/// <summary>
/// Lifecycles move on by themselves when check-in windows open and close, on the fake domain clock
/// (no sleeping), also across restarts of the whole system. Each test runs its own system and database.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class AutomaticLifecycleTests(PostgresServer postgres)
{
    private const SeriesLifecycle Scheduled = SeriesLifecycle.Scheduled;
    private const SeriesLifecycle Active = SeriesLifecycle.Active;
    private const SeriesLifecycle Completed = SeriesLifecycle.Completed;

    /// <summary>A system whose clock starts at a whole second, so window boundaries are exact to the microsecond PostgreSQL keeps.</summary>
    private async Task<ApiHost> StartAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        return await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), clock: clock);
    }

    [Fact]
    public async Task ScheduledSeries_BecomesActiveWhenItsWindowOpens_AndCompletedWhenItCloses_LoggedAsSystem()
    {
        await using var host = await StartAsync();
        using var client = host.Client((await Tenant.BootstrapAsync(host.ConnectionString)).Token);
        var s = await LifecycleScenario.CreateAsync(client);
        var series = await s.SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(2));

        await host.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Equal(Scheduled, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(Active, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1));
        Assert.Equal(Active, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(Completed, await s.LifecycleAsync(series.Id));

        await s.AssertLaterTransitionsAsync(series.Id, (Scheduled, Active, "system"), (Active, Completed, "system"));
        var log = await s.TransitionsAsync(series.Id);
        Assert.Equal(series.CheckInOpensAt, log[2].At);
        Assert.Equal(series.CheckInClosesAt, log[3].At);

        // The audit trail has both automatic steps, by "system" and no user.
        Assert.Equal(2, await Db.CountAsync(host.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE target_id = @id AND action = 'series.transition' AND actor = 'system' AND actor_user_id IS NULL",
            ("id", series.Id.ToString())));
    }

    /// <summary>
    /// Check-in may close long before the series ends: the series stays active until its end, so
    /// late entries are refused as too late while people can still leave (and occupancy falls).
    /// </summary>
    [Fact]
    public async Task ASeriesWhoseWindowClosesBeforeItEnds_StaysActiveUntilItsEnd_RefusingEntriesButLettingPeopleOut()
    {
        await using var host = await StartAsync();
        using var client = host.Client((await Tenant.BootstrapAsync(host.ConnectionString)).Token);
        var s = await LifecycleScenario.CreateAsync(client);
        var gate = await client.PostOkAsync<GateView>($"/api/events/{s.Event.Id}/gates", new { name = "Main", kind = "mixed" });
        var bands = await client.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{s.Event.Id}/wristbands", new
        {
            wristbands = new[] { new { nfcId = $"EARLY{s.Event.Id:N}"[..20], category = "general" }, new { nfcId = $"LATE{s.Event.Id:N}"[..20], category = "general" } },
        });
        var start = host.Clock.GetUtcNow().AddHours(2);
        var series = await client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = s.Event.Id, name = "Matinee", startsAt = start, endsAt = start.AddHours(3), gateIds = new[] { gate.Id },
            checkInWindow = new { opensMinutesBeforeStart = 60, closesMinutesAfterStart = 60 },
        });
        await client.PostOkAsync<AssignmentResult>($"/api/series/{series.Id}/wristbands/bulk", new { wristbandIds = bands.Select(b => b.Id) }, HttpStatusCode.OK);
        await s.TransitionAsync(series.Id, "scheduled");
        Task<ScanVerdict> ScanAsync(WristbandView band, string direction) =>
            client.PostOkAsync<ScanVerdict>($"/api/events/{s.Event.Id}/scans", new { nfcId = band.NfcId, gateId = gate.Id, direction }, HttpStatusCode.OK);

        await host.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.True((await ScanAsync(bands[0], "in")).Allowed);

        await host.AdvanceAsync(TimeSpan.FromHours(2)); // check-in closed an instant ago; the show runs two more hours
        Assert.Equal(Active, await s.LifecycleAsync(series.Id));
        var late = await ScanAsync(bands[1], "in");
        Assert.Equal((false, ScanReasons.OutsideWindow, "too_late"), (late.Allowed, late.Reason, late.Detail));
        Assert.True((await ScanAsync(bands[0], "out")).Allowed);
        Assert.Equal(0, (await client.PostOkAsync<SeriesMetrics>($"/api/series/{series.Id}/metrics/compute", new { }, HttpStatusCode.OK)).Occupancy);

        await host.AdvanceAsync(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(Active, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(Completed, await s.LifecycleAsync(series.Id));
        Assert.Equal(series.EndsAt, (await s.TransitionsAsync(series.Id))[^1].At);
        Assert.Equal(ScanReasons.NoActiveSeries, (await ScanAsync(bands[0], "out")).Reason);
    }

    [Fact]
    public async Task ManualActivationBeforeTheWindow_StillWorks_AndTheSeriesStillCompletesByItself()
    {
        await using var host = await StartAsync();
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var s = await LifecycleScenario.CreateAsync(client);
        var series = await s.SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(5));

        var manual = await s.TransitionAsync(series.Id, "active");
        await host.AdvanceAsync(TimeSpan.FromHours(4));
        Assert.Equal(Active, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromHours(4));

        Assert.Equal(tenant.OwnerId, manual.ActorUserId);
        await s.AssertLaterTransitionsAsync(series.Id, (Scheduled, Active, manual.Actor), (Active, Completed, "system"));
    }

    [Fact]
    public async Task DraftAndCancelledSeries_NeverMoveByThemselves()
    {
        await using var host = await StartAsync();
        using var client = host.Client((await Tenant.BootstrapAsync(host.ConnectionString)).Token);
        var s = await LifecycleScenario.CreateAsync(client);
        var draft = await s.SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(1), schedule: false);
        var cancelled = await s.SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(1));
        await s.TransitionAsync(cancelled.Id, "cancelled");

        await host.AdvanceAsync(TimeSpan.FromHours(2));
        await host.AdvanceAsync(TimeSpan.FromHours(4));

        Assert.Equal(SeriesLifecycle.Draft, await s.LifecycleAsync(draft.Id));
        Assert.Equal(SeriesLifecycle.Cancelled, await s.LifecycleAsync(cancelled.Id));
        Assert.Single(await s.TransitionsAsync(draft.Id));
    }

    /// <summary>The schedule lives in the rows, so a restart between publishing and the window changes nothing.</summary>
    [Fact]
    public async Task RestartBetweenSchedulingAndTheWindow_ThenTheClockMovesOn_ActivatesAndCompletes()
    {
        await using var host = await StartAsync();
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        SeriesView series;
        using (var client = host.Client(tenant.Token))
        {
            series = await (await LifecycleScenario.CreateAsync(client)).SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(2));
        }

        await host.RestartAsync();

        using var after = host.Client(tenant.Token);
        var s = new LifecycleScenario(after, null!);
        Assert.Equal(Scheduled, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(Active, await s.LifecycleAsync(series.Id));
        await host.AdvanceAsync(TimeSpan.FromHours(4));
        Assert.Equal(Completed, await s.LifecycleAsync(series.Id));
        await s.AssertLaterTransitionsAsync(series.Id, (Scheduled, Active, "system"), (Active, Completed, "system"));
    }

    /// <summary>
    /// While the system is down one window opens and another opens and closes; on start, without any
    /// call and without the clock moving again, the first is active and the second completed (both
    /// steps logged).
    /// </summary>
    [Fact]
    public async Task SeriesWhoseTimePassedWhileEverythingWasDown_AreCaughtUpOnStart()
    {
        await using var host = await StartAsync();
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        SeriesView opened, over;
        using (var client = host.Client(tenant.Token))
        {
            var scenario = await LifecycleScenario.CreateAsync(client);
            opened = await scenario.SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(8));
            over = await scenario.SeriesAsync(host.Clock.GetUtcNow(), TimeSpan.FromHours(2));
        }

        await host.StopAsync();
        host.Clock.Advance(TimeSpan.FromHours(7.5));
        await host.StartAsync();

        using var after = host.Client(tenant.Token);
        var s = new LifecycleScenario(after, null!);
        await Eventually.ValueAsync(() => s.LifecycleAsync(over.Id), l => l == Completed);
        await Eventually.ValueAsync(() => s.LifecycleAsync(opened.Id), l => l == Active);
        await s.AssertLaterTransitionsAsync(over.Id, (Scheduled, Active, "system"), (Active, Completed, "system"));
        await s.AssertLaterTransitionsAsync(opened.Id, (Scheduled, Active, "system"));
    }

    [Fact]
    public async Task PublishedRecurringInstances_OpenOneAfterAnother_AsTheClockPassesThem()
    {
        await using var host = await StartAsync();
        using var client = host.Client((await Tenant.BootstrapAsync(host.ConnectionString)).Token);
        var s = await LifecycleScenario.CreateAsync(client);
        var first = host.Clock.GetUtcNow().AddHours(2);
        var created = await client.PostOkAsync<InstancesResult>("/api/series/recurring", new
        {
            eventId = s.Event.Id, name = "Daily", startsAt = first, endsAt = first.AddHours(3), checkInWindow = new { opensMinutesBeforeStart = 60 },
            recurrence = new { rule = "FREQ=DAILY;COUNT=3" }, publish = true,
        });
        var children = (await client.GetOkAsync<Page<SeriesSummary>>(
            $"/api/series?parentSeriesId={created.Parent.Id}")).Items.OrderBy(c => c.SequenceNumber).ToList();

        await host.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal([Active, Scheduled, Scheduled], await Task.WhenAll(children.Select(c => s.LifecycleAsync(c.Id))));
        await host.AdvanceAsync(TimeSpan.FromHours(24));
        Assert.Equal([Completed, Active, Scheduled], await Task.WhenAll(children.Select(c => s.LifecycleAsync(c.Id))));
        Assert.Equal(SeriesLifecycle.Draft, await s.LifecycleAsync(created.Parent.Id));
    }
}
