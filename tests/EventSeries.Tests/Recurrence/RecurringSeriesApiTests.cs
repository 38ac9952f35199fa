using System.Net;
using EventSeries.Persistence.Queries;
using EventSeries.Series;

namespace EventSeries.Tests.Recurrence;

/// <summary>POST /api/series/recurring and its instances, over HTTP against PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class RecurringSeriesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task RecurringParent_GeneratesItsChildren_WithOwnDates_AndCopiesOfLimitsAndGates()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await RecurringScenario.CreateAsync(client);

        var result = await s.CreateRecurringAsync("FREQ=WEEKLY;BYDAY=TH;COUNT=4");

        Assert.Equal((4, 4, 4), (result.Created, result.Children, result.GeneratedThrough));
        Assert.Equal(("FREQ=WEEKLY;BYDAY=TH;COUNT=4", "Europe/Berlin"), (result.Parent.Recurrence!.Rule, result.Parent.Recurrence.TimeZone));
        var children = await s.ChildrenAsync(result.Parent.Id);
        Assert.Equal([1, 2, 3, 4], children.Select(c => c.SequenceNumber));
        Assert.All(children, c => Assert.Equal(SeriesLifecycle.Draft, c.Lifecycle));
        Assert.Equal(
            [new DateOnly(2027, 3, 18), new DateOnly(2027, 3, 25), new DateOnly(2027, 4, 1), new DateOnly(2027, 4, 8)],
            children.Select(c => RecurringScenario.LocalDate(c.StartsAt)));
        Assert.All(children, c => Assert.Equal(TimeSpan.FromHours(3), c.EndsAt - c.StartsAt));

        // Copies, not references: each child has its own gate rows and limit rows.
        var child = await s.GetAsync(children[3].Id);
        Assert.Equal(result.Parent.Id, child.ParentSeriesId);
        Assert.Equal([s.Main.Id, s.Vip.Id], child.GateIds.Order());
        Assert.Equal([new CategoryLimitView("vip", 50, 0)], child.Categories);
        Assert.Equal((800, 90), (child.Capacity, child.Window.OpensMinutesBeforeStart));
        Assert.Equal(8, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_gates g JOIN event_series c ON c.id = g.series_id WHERE c.parent_series_id = @p", ("p", result.Parent.Id)));
        Assert.Equal(4, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_category_limits l JOIN event_series c ON c.id = l.series_id WHERE c.parent_series_id = @p AND l.max_wristbands = 50", ("p", result.Parent.Id)));
        var created = Assert.Single(await s.TransitionsAsync(child.Id));
        Assert.Equal((null, SeriesLifecycle.Draft, tenant.OwnerId), (created.From, created.To, created.ActorUserId));

        // The parent keeps the rule; it is a template, never scheduled itself.
        Assert.True(await Db.ScalarAsync<bool>(fixture.ConnectionString, "SELECT is_recurring FROM event_series WHERE id = @p", ("p", result.Parent.Id)));
        Assert.Equal("RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=4", await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT recurrence_pattern FROM event_series WHERE id = @p", ("p", result.Parent.Id)));
        await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/series/{result.Parent.Id}/transitions", new { to = "scheduled" }), HttpStatusCode.Conflict, "recurring_parent");
    }

    /// <summary>The March change in Berlin happens between the 2nd and 3rd child: 19:00 local stays 19:00, UTC moves by an hour.</summary>
    [Fact]
    public async Task Children_Stay1900Local_AcrossTheDaylightSavingChange()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);

        var result = await s.CreateRecurringAsync("FREQ=WEEKLY;BYDAY=TH;COUNT=4");

        var children = await s.ChildrenAsync(result.Parent.Id);
        Assert.All(children, c => Assert.Equal(new TimeOnly(19, 0), RecurringScenario.LocalTime(c.StartsAt)));
        Assert.Equal([18, 18, 17, 17], children.Select(c => c.StartsAt.UtcDateTime.Hour));
    }

    [Fact]
    public async Task PublishedChildren_StartScheduled_AndLogCreationThenPublishing()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await RecurringScenario.CreateAsync(client);

        var result = await s.CreateRecurringAsync("FREQ=WEEKLY;COUNT=2", publish: true);

        var children = await s.ChildrenAsync(result.Parent.Id);
        Assert.All(children, c => Assert.Equal(SeriesLifecycle.Scheduled, c.Lifecycle));
        var log = await s.TransitionsAsync(children[1].Id);
        Assert.Equal([(null, SeriesLifecycle.Draft), (SeriesLifecycle.Draft, SeriesLifecycle.Scheduled)], log.Select(t => (t.From, t.To)));
        Assert.All(log, t => Assert.Equal(tenant.OwnerId, t.ActorUserId));
    }

    /// <summary>The list filtered by event and lifecycle pages by start; the parent (a draft template) is not among the scheduled.</summary>
    [Fact]
    public async Task SeriesList_ByEventAndLifecycle_PagesThroughTheInstancesInOrder()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var parent = (await s.CreateRecurringAsync("FREQ=DAILY;COUNT=7", publish: true)).Parent;
        var url = $"/api/series?eventId={s.Event.Id}&lifecycle=scheduled&pageSize=3";

        var pages = new[]
        {
            await client.GetOkAsync<Page<SeriesSummary>>(url + "&page=1"),
            await client.GetOkAsync<Page<SeriesSummary>>(url + "&page=2"),
            await client.GetOkAsync<Page<SeriesSummary>>(url + "&page=3"),
        };

        Assert.All(pages, p => Assert.Equal(7, p.Total));
        Assert.Equal(Enumerable.Range(1, 7), pages.SelectMany(p => p.Items).Select(i => i.SequenceNumber!.Value));
        Assert.All(pages.SelectMany(p => p.Items), i => Assert.Equal(parent.Id, i.ParentSeriesId));
        using var stranger = fixture.Host.Client((await fixture.NewTenantAsync("Elsewhere")).Token);
        Assert.Empty((await stranger.GetOkAsync<Page<SeriesSummary>>(url + "&page=1")).Items);
    }

    [Fact]
    public async Task ExceptionDates_LeaveOutTheirOccurrences()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);

        var result = await client.PostOkAsync<InstancesResult>("/api/series/recurring",
            s.Body("FREQ=WEEKLY;COUNT=4", exceptionDates: [new DateOnly(2027, 3, 25)]));

        var children = await s.ChildrenAsync(result.Parent.Id);
        Assert.Equal([new DateOnly(2027, 3, 18), new DateOnly(2027, 4, 1), new DateOnly(2027, 4, 8)], children.Select(c => RecurringScenario.LocalDate(c.StartsAt)));
        Assert.Equal([new DateOnly(2027, 3, 25)], result.Parent.Recurrence!.ExceptionDates);
    }

    [Fact]
    public async Task MoreInstances_ContinueTheSequence_AndRepeatingChangesNothing()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var first = await s.CreateRecurringAsync("FREQ=WEEKLY;BYDAY=TH", instances: 3);

        var more = await s.MoreAsync(first.Parent.Id, new { instances = 5 });
        var again = await s.MoreAsync(first.Parent.Id, new { instances = 5 });
        var byDate = await s.MoreAsync(first.Parent.Id, new { until = RecurringScenario.FirstThursday.AddDays(7 * 6) });

        Assert.Equal((2, 5, 5), (more.Created, more.Children, more.GeneratedThrough));
        Assert.Equal((0, 5, 5), (again.Created, again.Children, again.GeneratedThrough));
        Assert.Equal((2, 7, 7), (byDate.Created, byDate.Children, byDate.GeneratedThrough));
        var children = await s.ChildrenAsync(first.Parent.Id);
        Assert.Equal(Enumerable.Range(1, 7), children.Select(c => c.SequenceNumber!.Value));
        Assert.Equal(
            Enumerable.Range(0, 7).Select(week => new DateOnly(2027, 3, 18).AddDays(7 * week)),
            children.Select(c => RecurringScenario.LocalDate(c.StartsAt)));
    }

    [Fact]
    public async Task ConcurrentRequestsForTheSameReach_CreateEachOccurrenceOnce()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var first = await s.CreateRecurringAsync("FREQ=DAILY", instances: 2);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => s.MoreAsync(first.Parent.Id, new { instances = 20 })));

        Assert.Equal(18, results.Sum(r => r.Created));
        Assert.Equal(20, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(DISTINCT sequence_number) FROM event_series WHERE parent_series_id = @p", ("p", first.Parent.Id)));
        Assert.Equal(20, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM event_series WHERE parent_series_id = @p", ("p", first.Parent.Id)));
    }

    [Fact]
    public async Task DeletedChild_IsNotBroughtBack_ByAskingForMore()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var first = await s.CreateRecurringAsync("FREQ=WEEKLY", instances: 3);
        var second = (await s.ChildrenAsync(first.Parent.Id))[1];
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/series/{second.Id}")).StatusCode);

        var more = await s.MoreAsync(first.Parent.Id, new { instances = 4 });

        Assert.Equal(1, more.Created);
        Assert.Equal([1, 3, 4], (await s.ChildrenAsync(first.Parent.Id)).Select(c => c.SequenceNumber!.Value));
    }

    /// <summary>The edit moves unstarted children to 20:00 on their own dates; the active and the cancelled child keep everything.</summary>
    [Fact]
    public async Task ParentEdit_AppliedToChildren_ChangesOnlyThoseNotStarted()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var parent = (await s.CreateRecurringAsync("FREQ=WEEKLY;COUNT=4", publish: true)).Parent;
        var children = await s.ChildrenAsync(parent.Id);
        await s.TransitionAsync(children[0].Id, "active");
        await s.TransitionAsync(children[1].Id, "cancelled");
        var before = await s.ChildrenAsync(parent.Id);
        var edit = new
        {
            name = "Late Concert", startsAt = RecurringScenario.FirstThursday.AddHours(1), endsAt = RecurringScenario.FirstThursday.AddHours(3.5),
            checkInWindow = new { opensMinutesBeforeStart = 30 }, capacity = 600,
        };

        await client.PutOkAsync<SeriesView>($"/api/series/{parent.Id}", edit);
        Assert.Equal(before.Select(c => (c.Name, c.StartsAt)), (await s.ChildrenAsync(parent.Id)).Select(c => (c.Name, c.StartsAt)));
        var job = await s.ApplyToInstancesAsync(parent.Id, edit);
        var finished = await s.FinishedAsync(job);

        Assert.Equal((SeriesJobKind.ApplySpec, 4), (job.Kind, job.Total));
        Assert.Equal((SeriesJobStatus.Completed, 4, 2, 0), (finished.Status, finished.Done, finished.Skipped, finished.Failed));
        Assert.Equal("Late Concert", (await s.GetAsync(parent.Id)).Name);
        var after = await s.ChildrenAsync(parent.Id);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
        foreach (var child in after[2..])
        {
            var original = before.Single(c => c.Id == child.Id);
            Assert.Equal(("Late Concert", 600, SeriesLifecycle.Scheduled), (child.Name, child.Capacity, child.Lifecycle));
            Assert.Equal(RecurringScenario.LocalDate(original.StartsAt), RecurringScenario.LocalDate(child.StartsAt));
            Assert.Equal(new TimeOnly(20, 0), RecurringScenario.LocalTime(child.StartsAt));
            Assert.Equal(TimeSpan.FromHours(2.5), child.EndsAt - child.StartsAt);
            Assert.Equal(child.StartsAt.AddMinutes(-30), child.CheckInOpensAt);
        }
    }

    [Fact]
    public async Task CancellingTheParent_WithCascade_CancelsEveryFutureChild_EachLogged()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await RecurringScenario.CreateAsync(client);
        var parent = (await s.CreateRecurringAsync("FREQ=WEEKLY;COUNT=4", publish: true)).Parent;
        var children = await s.ChildrenAsync(parent.Id);
        await s.TransitionAsync(children[0].Id, "active");

        var job = await client.PostOkAsync<SeriesJobView>(
            $"/api/series/{parent.Id}/transitions", new { to = "cancelled", cascade = true, reason = "venue closed" }, HttpStatusCode.Accepted);

        // The parent is cancelled with the answer (the same transaction wrote its job); its instances follow.
        var cancelled = (await s.TransitionsAsync(parent.Id))[^1];
        Assert.Equal((SeriesLifecycle.Draft, SeriesLifecycle.Cancelled, parent.Id), (cancelled.From, cancelled.To, cancelled.SeriesId));
        Assert.Equal((SeriesJobKind.CancelChildren, 4), (job.Kind, job.Total));
        var finished = await s.FinishedAsync(job);
        Assert.Equal((SeriesJobStatus.Completed, 4, 1, 0), (finished.Status, finished.Done, finished.Skipped, finished.Failed));
        var after = await s.ChildrenAsync(parent.Id);
        Assert.Equal([SeriesLifecycle.Active, SeriesLifecycle.Cancelled, SeriesLifecycle.Cancelled, SeriesLifecycle.Cancelled], after.Select(c => c.Lifecycle));
        foreach (var child in after[1..])
        {
            var last = (await s.TransitionsAsync(child.Id))[^1];
            Assert.Equal((SeriesLifecycle.Scheduled, SeriesLifecycle.Cancelled, tenant.OwnerId), (last.From, last.To, last.ActorUserId));
            Assert.Contains("venue closed", last.Reason, StringComparison.Ordinal);
            Assert.Contains(parent.Id.ToString(), last.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(3, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM series_state_transitions t JOIN event_series c ON c.id = t.series_id WHERE c.parent_series_id = @p AND t.to_status = 'cancelled'",
            ("p", parent.Id)));
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/recurring/{parent.Id}/instances", new { instances = 6 }), HttpStatusCode.Conflict, "series_ended");
    }
}
