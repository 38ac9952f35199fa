using EventSeries.Events;
using EventSeries.Series;

namespace EventSeries.Tests.Lifecycle;

/// <summary>Series placed relative to the host's fake clock, driven through the API.</summary>
public sealed record LifecycleScenario(ApiClient Client, EventView Event)
{
    public static async Task<LifecycleScenario> CreateAsync(ApiClient client)
    {
        var ev = await client.PostOkAsync<EventView>("/api/events", new { name = "Clockwork Fair", timeZone = "UTC", categories = new[] { new { name = "general" } } });
        return new LifecycleScenario(client, ev);
    }

    /// <summary>A series starting <paramref name="startsIn"/> from <paramref name="now"/>, running 3 hours, window opening 60 minutes before the start and closing at the end.</summary>
    public async Task<SeriesView> SeriesAsync(DateTimeOffset now, TimeSpan startsIn, bool schedule = true)
    {
        var start = now + startsIn;
        var series = await Client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = Event.Id, name = "Evening", startsAt = start, endsAt = start.AddHours(3), checkInWindow = new { opensMinutesBeforeStart = 60 },
        });
        if (schedule)
        {
            await TransitionAsync(series.Id, "scheduled");
        }

        return series;
    }

    public Task<SeriesTransition> TransitionAsync(Guid seriesId, string to) =>
        Client.PostOkAsync<SeriesTransition>($"/api/series/{seriesId}/transitions", new { to });

    public async Task<SeriesLifecycle> LifecycleAsync(Guid seriesId) => (await Client.GetOkAsync<SeriesView>($"/api/series/{seriesId}")).Lifecycle;

    public Task<ImmutableArray<SeriesTransition>> TransitionsAsync(Guid seriesId) =>
        Client.GetOkAsync<ImmutableArray<SeriesTransition>>($"/api/series/{seriesId}/transitions");

    /// <summary>Asserts the transitions after creation and publishing: each (from, to) and who made it.</summary>
    public async Task AssertLaterTransitionsAsync(Guid seriesId, params (SeriesLifecycle From, SeriesLifecycle To, string Actor)[] expected)
    {
        var later = (await TransitionsAsync(seriesId)).Skip(2).ToList();
        Assert.Equal(expected, later.Select(t => (t.From!.Value, t.To, t.Actor)));
        Assert.All(later.Where(t => t.Actor == "system"), t => Assert.Null(t.ActorUserId));
    }
}
