using System.Net;
using EventSeries.CheckIns;
using EventSeries.Devices;
using EventSeries.Events;
using EventSeries.Organizations;
using EventSeries.Series;
using EventSeries.Tickets;
using EventSeries.Api.Contracts;
using EventSeries.Webhooks;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Security;

/// <summary>
/// Everything one organization's endpoints can be aimed at, built through the API by its owner: an
/// event with gates and wristbands, an active series (window open) with an allowed entry scanned by
/// the owner, a draft series to edit or delete, an empty event to delete, a scanner device, and a
/// plain member with a token to manage.
/// </summary>
public sealed record MatrixWorld(
    Guid OrganizationId, EventView Event, EventView EmptyEvent, GateView Main, GateView Side, WristbandView Holder, WristbandView Spare,
    WristbandView Unassigned, SeriesView Active, SeriesView Draft, Guid RecurringParent, ScanVerdict OwnersEntry, IssuedDevice Device, MemberView Target,
    TokenView TargetToken, Guid RecurringJob, TicketView Ticket, WebhookSubscriptionView Webhook, long WebhookDelivery)
{
    public static async Task<MatrixWorld> CreateAsync(ApiClient owner, Guid organizationId, DateTimeOffset now)
    {
        var ev = await owner.PostOkAsync<EventView>("/api/events", new
        {
            organizationId, name = "Matrix Fest", timeZone = "Europe/Berlin", categories = new[] { new { name = "general" }, new { name = "vip" } },
        });
        var empty = await owner.PostOkAsync<EventView>("/api/events", new { organizationId, name = "Empty Fest" });
        var main = await owner.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "Main", kind = "mixed" });
        var side = await owner.PostOkAsync<GateView>($"/api/events/{ev.Id}/gates", new { name = "Side", kind = "entry" });
        var tag = ev.Id.ToString("N")[..12];
        var wristbands = await owner.PostOkAsync<ImmutableArray<WristbandView>>($"/api/events/{ev.Id}/wristbands", new
        {
            wristbands = new object[]
            {
                new { nfcId = $"H{tag}", category = "general", holderName = "Hanna Holder", holderEmail = "hanna@example.org" },
                new { nfcId = $"S{tag}", category = "general" },
                new { nfcId = $"U{tag}", category = "general" },
            },
        });
        var start = now.AddMinutes(30);
        var active = await owner.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = ev.Id, name = "Day 1", startsAt = start, endsAt = start.AddHours(6), checkInWindow = new { opensMinutesBeforeStart = 60 },
            gateIds = new[] { main.Id },
        });
        await owner.PostOkAsync<AssignmentResult>($"/api/series/{active.Id}/wristbands/bulk", new { wristbandIds = new[] { wristbands[0].Id, wristbands[1].Id } }, HttpStatusCode.OK);

        // A webhook subscription whose deliveries (the two transitions below) stay queued: paused,
        // so nothing is sent in the background while cells compare database fingerprints.
        var issued = await owner.PostOkAsync<IssuedWebhookSubscription>($"/api/organizations/{organizationId}/webhooks", new
        {
            url = "http://127.0.0.1:9/matrix", eventTypes = new[] { "series.transitioned" },
        });
        var webhook = await ApiClient.ReadAsync<WebhookSubscriptionView>(
            await owner.SendAsync(HttpMethod.Patch, $"/api/organizations/{organizationId}/webhooks/{issued.Subscription.Id}", new { status = "paused" }), HttpStatusCode.OK);
        await owner.PostOkAsync<SeriesTransition>($"/api/series/{active.Id}/transitions", new { to = "scheduled" });
        await owner.PostOkAsync<SeriesTransition>($"/api/series/{active.Id}/transitions", new { to = "active" });
        var webhookDelivery = (await owner.GetOkAsync<WebhookDeliveryPage>($"/api/organizations/{organizationId}/webhooks/{webhook.Id}/deliveries")).Items[0].Id;
        var draft = await owner.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = ev.Id, name = "Day 2", startsAt = start.AddDays(1), endsAt = start.AddDays(1).AddHours(6), gateIds = new[] { main.Id, side.Id },
        });
        await owner.PostOkAsync<AssignmentResult>($"/api/series/{draft.Id}/wristbands/bulk", new { wristbandIds = new[] { wristbands[1].Id } }, HttpStatusCode.OK);
        var weekly = await owner.PostOkAsync<System.Text.Json.JsonElement>("/api/series/recurring", new
        {
            eventId = ev.Id, name = "Weekly", startsAt = start.AddDays(7), endsAt = start.AddDays(7).AddHours(3), recurrence = new { rule = "FREQ=WEEKLY;COUNT=10" }, instances = 1,
        });
        var weeklyId = weekly.GetProperty("parent").GetProperty("id").GetGuid();
        var job = await ApiClient.ReadAsync<SeriesJobView>(await owner.PutAsync($"/api/series/{weeklyId}?applyToChildren=true", new
        {
            name = "Weekly", startsAt = start.AddDays(7), endsAt = start.AddDays(7).AddHours(3),
        }), HttpStatusCode.Accepted);

        // Finished before any cell runs, so no background write lands inside a cell's fingerprint.
        await Eventually.ValueAsync(() => owner.GetOkAsync<SeriesJobView>($"/api/series/{weeklyId}/jobs/{job.Id}"), j => j.Status != SeriesJobStatus.Running);
        var entry = await owner.PostOkAsync<ScanVerdict>($"/api/events/{ev.Id}/scans", new { nfcId = wristbands[0].NfcId, gateId = main.Id }, HttpStatusCode.OK);
        Assert.True(entry.Allowed, entry.Reason);
        var ticket = await owner.PostOkAsync<TicketView>($"/api/events/{ev.Id}/tickets", new
        {
            externalId = "T-" + tag, source = "shop", holderName = "Tom Ticket", holderEmail = "tom@example.org", ticketType = "general", seriesIds = new[] { active.Id },
        });
        var device = await owner.PostOkAsync<IssuedDevice>($"/api/events/{ev.Id}/devices", new { name = "Handheld 1" });
        var target = await owner.PostOkAsync<MemberView>($"/api/organizations/{organizationId}/members", new { displayName = "Tara Target", role = "member" });
        var token = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{organizationId}/members/{target.UserId}/tokens", new { name = "target's" });
        return new MatrixWorld(
            organizationId, ev, empty, main, side, wristbands[0], wristbands[1], wristbands[2], active, draft,
            weeklyId, entry, device, target, token.Token, job.Id, ticket, webhook, webhookDelivery);
    }
}
