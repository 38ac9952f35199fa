using System.Net;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// An event whose series is active with its check-in window open at the host's (fake) now: gates
/// Main (mixed: in and out), VIP (vip only, in) and Back (not assigned to the series), general and vip wristbands
/// all assigned, plus one registered but unassigned wristband.
/// </summary>
public sealed record GateScenario(
    ApiClient Client, EventView Event, GateView Main, GateView Vip, GateView Back, ImmutableArray<WristbandView> Wristbands,
    WristbandView Unassigned, SeriesView Series)
{
    public static async Task<GateScenario> CreateAsync(
        ApiClient client, DateTimeOffset now, int general = 3, int vip = 1, string reentry = "reentry", int? capacity = null, bool activate = true)
    {
        var ev = await client.PostOkAsync<EventView>("/api/events", new
        {
            name = "Gate Festival", timeZone = "Europe/Berlin", categories = new[] { new { name = "general" }, new { name = "vip" } },
        });
        var main = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "Main", kind = "mixed" });
        var vipGate = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "VIP", kind = "vip", allowedCategories = new[] { "vip" } });
        var back = await client.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "Back", kind = "staff" });
        var tag = ev.Id.ToString("N")[..10];
        var wristbands = await client.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{ev.Id}/wristbands", new
        {
            wristbands = Enumerable.Range(0, general).Select(i => new { nfcId = $"G{tag}{i:D5}", category = "general" })
                .Concat(Enumerable.Range(0, vip).Select(i => new { nfcId = $"V{tag}{i:D5}", category = "vip" }))
                .Append(new { nfcId = $"U{tag}00000", category = "general" }),
        });
        var start = now.AddMinutes(30);
        var series = await client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = ev.Id, name = "Day 1", startsAt = start, endsAt = start.AddHours(6), checkInWindow = new { opensMinutesBeforeStart = 60 },
            capacity, reentry, gateIds = new[] { main.Id, vipGate.Id },
        });
        var assigned = wristbands[..^1];
        await client.PostOkAsync<AssignmentResult>($"/api/series/{series.Id}/wristbands/bulk", new { wristbandIds = assigned.Select(w => w.Id) }, HttpStatusCode.OK);
        var scenario = new GateScenario(client, ev, main, vipGate, back, assigned, wristbands[^1], series);
        if (activate)
        {
            await scenario.TransitionAsync("scheduled");
            await scenario.TransitionAsync("active");
        }

        return scenario;
    }

    public Task<SeriesTransition> TransitionAsync(string to) =>
        Client.PostOkAsync<SeriesTransition>($"/api/series/{Series.Id}/transitions", new { to });

    public Task<ScanVerdict> ScanAsync(string nfcId, GateView? gate = null, string direction = "in", Guid? scanId = null) =>
        Client.PostOkAsync<ScanVerdict>($"/api/events/{Event.Id}/scans", new { nfcId, gateId = (gate ?? Main).Id, direction, scanId }, HttpStatusCode.OK);

    public Task<ScanVerdict> VerifyAsync(string nfcId, GateView? gate = null, string direction = "in") =>
        Client.PostOkAsync<ScanVerdict>($"/api/series/{Series.Id}/checkins/verify", new { nfcId, gateId = (gate ?? Main).Id, direction }, HttpStatusCode.OK);
}
