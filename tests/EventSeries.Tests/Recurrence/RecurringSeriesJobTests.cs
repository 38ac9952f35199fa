using System.Net;
using EventSeries.Series;

namespace EventSeries.Tests.Recurrence;

/// <summary>
/// An edit applied to a recurring parent's instances runs as a background job: the request answers
/// 202 with the job at once, the parent keeps answering, and the job reports its progress.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class RecurringSeriesJobTests(ApiFixture fixture)
{
    private const int Instances = 2_000;

    [Fact]
    public async Task AnEditForTwoThousandInstances_AnswersAtOnceWithARunningJob_ThatChangesEachInstanceOnce()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await RecurringScenario.CreateAsync(client);
        var parent = (await s.CreateRecurringAsync("FREQ=DAILY", instances: Instances)).Parent;

        var job = await s.ApplyToInstancesAsync(parent.Id, Edit("Renamed Concert"));

        // The answer is the job as written with the parent's change: nothing of it has run yet.
        Assert.Equal((SeriesJobStatus.Running, Instances, 0, parent.Id), (job.Status, job.Total, job.Done, job.SeriesId));
        Assert.Equal("Renamed Concert", (await s.GetAsync(parent.Id)).Name);
        var finished = await s.FinishedAsync(job);
        Assert.Equal((SeriesJobStatus.Completed, Instances, 0, 0, null), (finished.Status, finished.Done, finished.Skipped, finished.Failed, finished.LastError));
        Assert.Equal(Instances, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM event_series WHERE parent_series_id = @p AND name = 'Renamed Concert' AND capacity = 500", ("p", parent.Id)));
        Assert.Equal(Instances, await UpdatesPerChildAsync(fixture.ConnectionString, parent.Id, exactly: 1));
        Assert.Equal([job.Id], (await client.GetOkAsync<ImmutableArray<SeriesJobView>>($"/api/series/{parent.Id}/jobs")).Select(j => j.Id));
    }

    [Fact]
    public async Task AJob_IsReadThroughItsOwnParentOnly_AndAnEditWithoutInstancesCompletesAtOnce()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var parent = (await s.CreateRecurringAsync("FREQ=WEEKLY", instances: 2)).Parent;
        var other = (await s.CreateRecurringAsync("FREQ=WEEKLY", instances: 1)).Parent;
        var job = await s.ApplyToInstancesAsync(parent.Id, Edit("Moved"));

        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{other.Id}/jobs/{job.Id}"), HttpStatusCode.NotFound);
        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{parent.Id}/jobs/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal(SeriesJobStatus.Completed, (await s.FinishedAsync(job)).Status);

        // The instances of the second parent are deleted: its job has nothing to do and says so.
        foreach (var child in await s.ChildrenAsync(other.Id))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/series/{child.Id}")).StatusCode);
        }

        var empty = await s.ApplyToInstancesAsync(other.Id, Edit("Nothing to move"));
        Assert.Equal((SeriesJobStatus.Completed, 0, 0), (empty.Status, empty.Total, empty.Done));
    }

    /// <summary>The new schedule: 20:00 instead of 19:00 with a new name and capacity.</summary>
    public static object Edit(string name) => new
    {
        name, startsAt = RecurringScenario.FirstThursday.AddHours(1), endsAt = RecurringScenario.FirstThursday.AddHours(3), capacity = 500,
    };

    /// <summary>How many of the parent's children have exactly <paramref name="exactly"/> <c>series.update</c> audit entries.</summary>
    public static Task<long> UpdatesPerChildAsync(string connectionString, Guid parentId, int exactly) => Db.CountAsync(connectionString,
        """
        SELECT count(*) FROM (
            SELECT c.id FROM event_series c
            LEFT JOIN audit_log a ON a.action = 'series.update' AND a.target_id = c.id::text
            WHERE c.parent_series_id = @p
            GROUP BY c.id HAVING count(a.id) = @n) AS per_child
        """,
        ("p", parentId), ("n", (long)exactly));
}
