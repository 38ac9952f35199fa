using EventSeries.Series;

namespace EventSeries.Tests.Recurrence;

/// <summary>A job stopped by a restart of the whole system goes on from its stored progress when it comes back.</summary>
[Trait("Category", "Postgres")]
public sealed class RecurringJobRestartTests(PostgresServer postgres)
{
    private const int Instances = 3_000;

    /// <summary>
    /// What is guaranteed: every instance ends with the new schedule and exactly one audit entry for
    /// it, even though the batch in flight at the stop may be asked again (a child that already has
    /// the schedule answers without writing).
    /// </summary>
    [Fact]
    public async Task AJobStoppedMidway_ResumesAfterARestart_AndChangesEveryInstanceExactlyOnce()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        SeriesJobView job;
        Guid parentId;
        using (var client = host.Client(tenant.Token))
        {
            var s = await RecurringScenario.CreateAsync(client);
            parentId = (await s.CreateRecurringAsync("FREQ=DAILY", instances: Instances)).Parent.Id;
            job = await s.ApplyToInstancesAsync(parentId, RecurringSeriesJobTests.Edit("After the restart"));
            await Eventually.ValueAsync(() => client.GetOkAsync<SeriesJobView>($"/api/series/{parentId}/jobs/{job.Id}"), j => j.Done > 0);
        }

        await host.StopAsync();
        var stoppedAt = await Db.CountAsync(host.ConnectionString, "SELECT coalesce((SELECT done::bigint FROM series_jobs WHERE id = @j AND status = 'running'), -1)", ("j", job.Id));
        Assert.InRange(stoppedAt, 1, Instances - 1);

        // Nobody asks the parent anything: the silo's start-up sweep wakes it.
        await host.StartAsync();

        using var after = host.Client(tenant.Token);
        var finished = await new RecurringScenario(after, null!, null!, null!).FinishedAsync(job);
        Assert.Equal((SeriesJobStatus.Completed, Instances, 0, 0), (finished.Status, finished.Done, finished.Skipped, finished.Failed));
        Assert.Equal(Instances, await Db.CountAsync(host.ConnectionString,
            "SELECT count(*) FROM event_series WHERE parent_series_id = @p AND name = 'After the restart'", ("p", parentId)));
        Assert.Equal(Instances, await RecurringSeriesJobTests.UpdatesPerChildAsync(host.ConnectionString, parentId, exactly: 1));
    }
}
