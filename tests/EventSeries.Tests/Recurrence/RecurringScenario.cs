using System.Net;
using EventSeries.Events;
using EventSeries.Persistence.Queries;
using EventSeries.Series;

namespace EventSeries.Tests.Recurrence;

/// <summary>An event in Europe/Berlin with gates Main and VIP and categories general and vip, ready for recurring series.</summary>
public sealed record RecurringScenario(ApiClient Client, EventView Event, GateView Main, GateView Vip)
{
    /// <summary>Thursday 18 March 2027, 19:00 in Berlin (UTC+1); summer time starts on 28 March 2027.</summary>
    public static readonly DateTimeOffset FirstThursday = new(2027, 3, 18, 19, 0, 0, TimeSpan.FromHours(1));

    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static async Task<RecurringScenario> CreateAsync(ApiClient client)
    {
        var ev = await client.PostOkAsync<EventView>("/api/events", new
        {
            name = "Thursday Concerts", timeZone = "Europe/Berlin", categories = new[] { new { name = "general" }, new { name = "vip" } },
        });
        var main = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "Main", kind = "entry" });
        var vip = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "VIP", kind = "vip", allowedCategories = new[] { "vip" } });
        return new RecurringScenario(client, ev, main, vip);
    }

    /// <summary>A request body for POST /api/series/recurring: a 3-hour concert with both gates and a vip limit of 50.</summary>
    public Dictionary<string, object?> Body(string rule, int? instances = null, bool publish = false, DateOnly[]? exceptionDates = null, string? timeZone = null) => new()
    {
        ["eventId"] = Event.Id,
        ["name"] = "Thursday Concert",
        ["startsAt"] = FirstThursday,
        ["endsAt"] = FirstThursday.AddHours(3),
        ["checkInWindow"] = new { opensMinutesBeforeStart = 90 },
        ["capacity"] = 800,
        ["gateIds"] = new[] { Main.Id, Vip.Id },
        ["categoryLimits"] = new[] { new { category = "vip", maxWristbands = 50 } },
        ["recurrence"] = new { rule, exceptionDates, timeZone },
        ["instances"] = instances,
        ["publish"] = publish,
    };

    public Task<InstancesResult> CreateRecurringAsync(string rule, int? instances = null, bool publish = false) =>
        Client.PostOkAsync<InstancesResult>("/api/series/recurring", Body(rule, instances, publish));

    public Task<InstancesResult> MoreAsync(Guid parentId, object body) =>
        Client.PostOkAsync<InstancesResult>($"/api/series/recurring/{parentId}/instances", body, HttpStatusCode.OK);

    /// <summary>The parent's children by sequence number, as GET /api/series lists them.</summary>
    public async Task<List<SeriesSummary>> ChildrenAsync(Guid parentId) =>
        [.. (await Client.GetOkAsync<Page<SeriesSummary>>($"/api/series?parentSeriesId={parentId}&pageSize=500")).Items.OrderBy(s => s.SequenceNumber)];

    /// <summary>
    /// Waits until a parent's background job is no longer running (it works in the background by
    /// design; nothing else tells a client it is done) and returns it as last read.
    /// </summary>
    public Task<SeriesJobView> FinishedAsync(SeriesJobView job, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(
            () => Client.GetOkAsync<SeriesJobView>($"/api/series/{job.SeriesId}/jobs/{job.Id}"), j => j.Status != SeriesJobStatus.Running,
            timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>PUT ?applyToChildren=true: the parent's edit and its job, answered 202 with the job.</summary>
    public async Task<SeriesJobView> ApplyToInstancesAsync(Guid parentId, object edit)
    {
        var response = await Client.PutAsync($"/api/series/{parentId}?applyToChildren=true", edit);
        var job = await ApiClient.ReadAsync<SeriesJobView>(response, HttpStatusCode.Accepted);
        Assert.Equal($"/api/series/{parentId}/jobs/{job.Id}", response.Headers.Location?.OriginalString);
        return job;
    }

    public Task<SeriesView> GetAsync(Guid seriesId) => Client.GetOkAsync<SeriesView>($"/api/series/{seriesId}");

    public Task<ImmutableArray<SeriesTransition>> TransitionsAsync(Guid seriesId) =>
        Client.GetOkAsync<ImmutableArray<SeriesTransition>>($"/api/series/{seriesId}/transitions");

    public Task<SeriesTransition> TransitionAsync(Guid seriesId, string to) =>
        Client.PostOkAsync<SeriesTransition>($"/api/series/{seriesId}/transitions", new { to });

    public static TimeOnly LocalTime(DateTimeOffset instant) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Berlin).DateTime);

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Berlin).DateTime);
}
