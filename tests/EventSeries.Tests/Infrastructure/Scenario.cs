using System.Net;
using EventSeries.Events;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Infrastructure;

/// <summary>Builds the README's first session through the HTTP API: an event with gates, wristbands and a series.</summary>
public sealed record Scenario(ApiClient Client, EventView Event, GateView Main, GateView Vip, ImmutableArray<WristbandView> Wristbands, SeriesView Series)
{
    public static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);

    public static async Task<Scenario> CreateAsync(ApiClient client, int general = 4, int vip = 2, int? vipLimit = 2)
    {
        var ev = await client.PostOkAsync<EventView>("/api/events", new
        {
            name = "Summer Festival",
            timeZone = "Europe/Berlin",
            categories = new[] { new { name = "general" }, new { name = "vip" } },
        });
        var main = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "Main", kind = "entry" });
        var vipGate = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "VIP", kind = "vip", allowedCategories = new[] { "vip" } });
        var tag = ev.Id.ToString("N")[..8];
        var wristbands = await client.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{ev.Id}/wristbands", new
        {
            wristbands = Enumerable.Range(0, general).Select(i => new { nfcId = $"04{tag}{i:D4}", category = "general" })
                .Concat(Enumerable.Range(0, vip).Select(i => new { nfcId = $"05{tag}{i:D4}", category = "vip" })),
        });
        var series = await client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = ev.Id,
            name = "Day 1",
            startsAt = Start,
            endsAt = Start.AddHours(8),
            checkInWindow = new { opensMinutesBeforeStart = 120 },
            capacity = 1000,
            gateIds = new[] { main.Id },
            categoryLimits = vipLimit is { } limit ? new[] { new { category = "vip", maxWristbands = limit } } : [],
        });
        return new Scenario(client, ev, main, vipGate, wristbands, series);
    }

    public Task<SeriesTransition> TransitionAsync(SeriesLifecycle to, string? reason = null) =>
        Client.PostOkAsync<SeriesTransition>($"/api/series/{Series.Id}/transitions", new { to, reason });

    public Task<SeriesView> ReloadAsync() => Client.GetOkAsync<SeriesView>($"/api/series/{Series.Id}");

    public static HttpStatusCode Created => HttpStatusCode.Created;
}
