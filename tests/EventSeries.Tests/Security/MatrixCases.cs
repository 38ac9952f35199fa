using System.Net;
using EventSeries.CheckIns;
using EventSeries.Organizations;

namespace EventSeries.Tests.Security;

/// <summary>Who makes a matrix request, against which world; <see cref="UserId"/> is null for a device.</summary>
public sealed record MatrixContext(MatrixWorld World, ApiClient Caller, Guid? UserId, ApiClient Owner, Func<Task<(ApiClient Client, Guid OrganizationId)>> NewTenant);

/// <summary>A request to make, optionally with another client than the cell's caller.</summary>
public sealed record MatrixRequest(HttpMethod Method, string Url, object? Body = null, ApiClient? As = null);

/// <summary>How to call one row of the matrix; <see cref="Dirties"/> when a success changes the world for later cells.</summary>
public sealed record MatrixCase(Func<MatrixContext, Task<MatrixRequest>> Build, bool Dirties);

/// <summary>A concrete request for every row of the matrix in docs/security.md.</summary>
public static class MatrixCases
{
    private static readonly HttpMethod Get = HttpMethod.Get, Post = HttpMethod.Post, Put = HttpMethod.Put, Delete = HttpMethod.Delete;

    public static readonly IReadOnlyDictionary<string, MatrixCase> All = new Dictionary<string, MatrixCase>
    {
        ["GET /api/organizations"] = Read(_ => "/api/organizations"),
        ["POST /api/organizations"] = Write(_ => new(Post, "/api/organizations", new { name = "Another Org" })),
        ["GET /api/organizations/{organizationId}"] = Read(w => $"/api/organizations/{w.OrganizationId}"),
        ["DELETE /api/organizations/{organizationId}"] = new(async c =>
        {
            // Only an owner may succeed, and that would delete the organization every other cell uses:
            // the owner's cell deletes a fresh organization of their own instead.
            if (c.UserId is { } user && c.Caller == c.Owner)
            {
                var (client, organizationId) = await c.NewTenant();
                return new(Delete, $"/api/organizations/{organizationId}", As: client);
            }

            return new(Delete, $"/api/organizations/{c.World.OrganizationId}");
        }, false),
        ["GET /api/organizations/{organizationId}/members"] = Read(w => $"/api/organizations/{w.OrganizationId}/members"),
        ["POST /api/organizations/{organizationId}/members"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/members", new { displayName = "New Person", role = "member" })),
        ["POST /api/organizations/{organizationId}/members (an owner)"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/members", new { displayName = "New Owner", role = "owner" })),
        ["PUT /api/organizations/{organizationId}/members/{userId}"] = Write(w => new(Put, $"/api/organizations/{w.OrganizationId}/members/{w.Target.UserId}", new { role = "viewer" }), dirties: true),
        ["DELETE /api/organizations/{organizationId}/members/{userId}"] = Write(w => new(Delete, $"/api/organizations/{w.OrganizationId}/members/{w.Target.UserId}"), dirties: true),
        ["GET /api/organizations/{organizationId}/members/{userId}/tokens (another's)"] = Read(w => $"/api/organizations/{w.OrganizationId}/members/{w.Target.UserId}/tokens"),
        ["GET /api/organizations/{organizationId}/members/{userId}/tokens (own)"] = new(c => Task.FromResult(new MatrixRequest(Get, $"/api/organizations/{c.World.OrganizationId}/members/{c.UserId ?? c.World.Target.UserId}/tokens")), false),
        ["POST /api/organizations/{organizationId}/members/{userId}/tokens (another's)"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/members/{w.Target.UserId}/tokens", new { name = "x" })),
        ["POST /api/organizations/{organizationId}/members/{userId}/tokens (own)"] = new(c => Task.FromResult(new MatrixRequest(Post, $"/api/organizations/{c.World.OrganizationId}/members/{c.UserId ?? c.World.Target.UserId}/tokens", new { name = "mine" })), false),
        ["DELETE /api/organizations/{organizationId}/tokens/{tokenId} (another's)"] = Write(w => new(Delete, $"/api/organizations/{w.OrganizationId}/tokens/{w.TargetToken.Id}"), dirties: true),
        ["DELETE /api/organizations/{organizationId}/tokens/{tokenId} (own)"] = new(async c =>
        {
            var tokenId = c.World.TargetToken.Id;
            // A token of the caller's own to revoke (the owner issues it; for a person of another
            // organization that fails, and the target's token stands in).
            var issued = c.UserId is { } user
                ? await c.Owner.PostAsync($"/api/organizations/{c.World.OrganizationId}/members/{user}/tokens", new { name = "to revoke" })
                : null;
            if (issued is { StatusCode: HttpStatusCode.Created })
            {
                tokenId = (await ApiClient.ReadAsync<IssuedToken>(issued, HttpStatusCode.Created)).Token.Id;
            }

            return new(Delete, $"/api/organizations/{c.World.OrganizationId}/tokens/{tokenId}");
        }, false),
        ["GET /api/events"] = Read(_ => "/api/events"),
        ["POST /api/events"] = Write(w => new(Post, "/api/events", new { organizationId = w.OrganizationId, name = "New Event" })),
        ["GET /api/events/{eventId}"] = Read(w => $"/api/events/{w.Event.Id}"),
        ["PUT /api/events/{eventId}"] = Write(w => new(Put, $"/api/events/{w.Event.Id}", new { name = "Matrix Fest Renamed", timeZone = "Europe/Berlin" })),
        ["DELETE /api/events/{eventId}"] = Write(w => new(Delete, $"/api/events/{w.EmptyEvent.Id}"), dirties: true),
        ["GET /api/events/{eventId}/categories"] = Read(w => $"/api/events/{w.Event.Id}/categories"),
        ["POST /api/events/{eventId}/categories"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/categories", new { name = "crew" })),
        ["GET /api/events/{eventId}/gates"] = Read(w => $"/api/events/{w.Event.Id}/gates"),
        ["POST /api/events/{eventId}/gates"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/gates", new { name = "Gate " + Guid.NewGuid().ToString("N")[..8], kind = "entry" })),
        ["PUT /api/events/{eventId}/gates/{gateId}"] = Write(w => new(Put, $"/api/events/{w.Event.Id}/gates/{w.Side.Id}", new { name = "Side", kind = "mixed" })),
        ["GET /api/events/{eventId}/gates/{gateId}/live"] = Read(w => $"/api/events/{w.Event.Id}/gates/{w.Side.Id}/live"),
        ["GET /api/events/{eventId}/wristbands"] = Read(w => $"/api/events/{w.Event.Id}/wristbands"),
        ["POST /api/events/{eventId}/wristbands"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/wristbands", new { wristbands = new[] { new { nfcId = "N" + Guid.NewGuid().ToString("N")[..16], category = "general" } } })),
        ["GET /api/wristbands/{wristbandId}"] = Read(w => $"/api/wristbands/{w.Holder.Id}"),
        ["PUT /api/wristbands/{wristbandId}/status"] = Write(w => new(Put, $"/api/wristbands/{w.Unassigned.Id}/status", new { status = "lost" }), dirties: true),
        ["POST /api/events/{eventId}/wristbands/import"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/wristbands/import?format=csv",
            new StringContent($"nfc_id,category\nI{Guid.NewGuid():N},general\n", System.Text.Encoding.UTF8, "text/csv"))),
        ["POST /api/events/{eventId}/tickets/import"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/tickets/import?format=csv",
            new StringContent($"external_id,source,ticket_type\nI{Guid.NewGuid():N},shop,general\n", System.Text.Encoding.UTF8, "text/csv"))),
        ["GET /api/events/{eventId}/imports"] = Read(w => $"/api/events/{w.Event.Id}/imports"),
        ["GET /api/imports/{importId}"] = new(async c =>
        {
            var upload = await c.Owner.SendRawAsync(Post, $"/api/events/{c.World.Event.Id}/wristbands/import?format=csv", "nfc_id,category\n", "text/csv");
            var job = await ApiClient.ReadAsync<EventSeries.Persistence.Imports.ImportJobView>(upload, HttpStatusCode.Accepted);
            await Imports.ImportClient.FinishedAsync(c.Owner, job.Id); // its merge must not land during the cell
            return new(Get, $"/api/imports/{job.Id}");
        }, false),
        ["GET /api/events/{eventId}/tickets"] = Read(w => $"/api/events/{w.Event.Id}/tickets"),
        ["POST /api/events/{eventId}/tickets"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/tickets", new
        {
            externalId = "M-" + Guid.NewGuid().ToString("N")[..12], source = "shop", ticketType = "general", seriesIds = new[] { w.Active.Id },
        })),
        ["GET /api/tickets/{ticketId}"] = Read(w => $"/api/tickets/{w.Ticket.Id}"),
        ["PUT /api/tickets/{ticketId}"] = Write(w => new(Put, $"/api/tickets/{w.Ticket.Id}", new
        {
            externalId = w.Ticket.ExternalId, source = w.Ticket.Source, holderName = "Tom T. Ticket", ticketType = "general", seriesIds = new[] { w.Active.Id },
        })),
        ["POST /api/tickets/{ticketId}/void"] = Write(w => new(Post, $"/api/tickets/{w.Ticket.Id}/void", new { reason = "chargeback" }), dirties: true),
        ["POST /api/tickets/{ticketId}/exchange"] = Write(w => new(Post, $"/api/tickets/{w.Ticket.Id}/exchange", new { nfcId = w.Unassigned.NfcId }), dirties: true),
        ["GET /api/events/{eventId}/devices"] = Read(w => $"/api/events/{w.Event.Id}/devices"),
        ["POST /api/events/{eventId}/devices"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/devices", new { name = "Handheld 2", gateIds = new[] { w.Main.Id } })),
        ["GET /api/devices/{deviceId}"] = Read(w => $"/api/devices/{w.Device.Device.Id}"),
        ["DELETE /api/devices/{deviceId}"] = Write(w => new(Delete, $"/api/devices/{w.Device.Device.Id}"), dirties: true),
        ["GET /api/series"] = Read(_ => "/api/series"),
        ["POST /api/series"] = Write(w => new(Post, "/api/series", new { eventId = w.Event.Id, name = "Day 3", startsAt = w.Draft.StartsAt.AddDays(1), endsAt = w.Draft.EndsAt.AddDays(1) })),
        ["POST /api/series/recurring"] = Write(w => new(Post, "/api/series/recurring", new
        {
            eventId = w.Event.Id, name = "Weekly too", startsAt = w.Draft.StartsAt, endsAt = w.Draft.EndsAt, recurrence = new { rule = "FREQ=DAILY;COUNT=2" },
        })),
        ["POST /api/series/recurring/{parentId}/instances"] = Write(w => new(Post, $"/api/series/recurring/{w.RecurringParent}/instances", new { instances = 3 })),
        ["GET /api/series/{seriesId}"] = Read(w => $"/api/series/{w.Active.Id}"),
        ["PUT /api/series/{seriesId}"] = Write(w => new(Put, $"/api/series/{w.Draft.Id}", new { name = "Day 2 (late)", startsAt = w.Draft.StartsAt.AddHours(1), endsAt = w.Draft.EndsAt.AddHours(1) }), dirties: true),
        ["DELETE /api/series/{seriesId}"] = Write(w => new(Delete, $"/api/series/{w.Draft.Id}"), dirties: true),
        ["GET /api/series/{seriesId}/transitions"] = Read(w => $"/api/series/{w.Active.Id}/transitions"),
        ["POST /api/series/{seriesId}/transitions"] = Write(w => new(Post, $"/api/series/{w.Draft.Id}/transitions", new { to = "scheduled" }), dirties: true),
        ["GET /api/series/{seriesId}/jobs"] = Read(w => $"/api/series/{w.RecurringParent}/jobs"),
        ["GET /api/series/{seriesId}/jobs/{jobId}"] = Read(w => $"/api/series/{w.RecurringParent}/jobs/{w.RecurringJob}"),
        ["GET /api/series/{seriesId}/gates"] = Read(w => $"/api/series/{w.Active.Id}/gates"),
        ["POST /api/series/{seriesId}/gates"] = Write(w => new(Post, $"/api/series/{w.Active.Id}/gates", new { gateIds = new[] { w.Side.Id } }), dirties: true),
        ["DELETE /api/series/{seriesId}/gates/{gateId}"] = Write(w => new(Delete, $"/api/series/{w.Draft.Id}/gates/{w.Side.Id}"), dirties: true),
        ["GET /api/series/{seriesId}/categories"] = Read(w => $"/api/series/{w.Active.Id}/categories"),
        ["POST /api/series/{seriesId}/categories"] = Write(w => new(Post, $"/api/series/{w.Draft.Id}/categories", new { limits = new[] { new { category = "vip", maxWristbands = 5 } } }), dirties: true),
        ["GET /api/series/{seriesId}/wristbands"] = Read(w => $"/api/series/{w.Active.Id}/wristbands"),
        ["POST /api/series/{seriesId}/wristbands"] = Write(w => new(Post, $"/api/series/{w.Draft.Id}/wristbands", new { wristbandId = w.Holder.Id }), dirties: true),
        ["POST /api/series/{seriesId}/wristbands/bulk"] = Write(w => new(Post, $"/api/series/{w.Draft.Id}/wristbands/bulk", new { wristbandIds = new[] { w.Unassigned.Id } }), dirties: true),
        ["POST /api/series/{seriesId}/wristbands/assign-all"] = Write(w => new(Post, $"/api/series/{w.Draft.Id}/wristbands/assign-all", new { category = "general" }), dirties: true),
        ["DELETE /api/series/{seriesId}/wristbands/{wristbandId}"] = Write(w => new(Delete, $"/api/series/{w.Draft.Id}/wristbands/{w.Spare.Id}"), dirties: true),
        ["POST /api/events/{eventId}/scans"] = Write(w => new(Post, $"/api/events/{w.Event.Id}/scans", new { nfcId = w.Spare.NfcId, gateId = w.Main.Id })),
        ["GET /api/series/scannable"] = Read(_ => "/api/series/scannable"),
        ["POST /api/series/{seriesId}/checkins/verify"] = Write(w => new(Post, $"/api/series/{w.Active.Id}/checkins/verify", new { nfcId = w.Spare.NfcId, gateId = w.Main.Id })),
        ["POST /api/series/{seriesId}/checkins/{checkinId}/annul (another's)"] = Write(w => new(Post, $"/api/series/{w.Active.Id}/checkins/{w.OwnersEntry.CheckinId}/annul"), dirties: true),
        ["POST /api/series/{seriesId}/checkins/{checkinId}/annul (own)"] = new(async c =>
        {
            // Anyone who can scan here (a device too) annuls an entry of their own; the others try the owner's.
            var checkinId = c.World.OwnersEntry.CheckinId;
            if (await OwnEntryAsync(c) is { } own)
            {
                checkinId = own;
            }

            return new(Post, $"/api/series/{c.World.Active.Id}/checkins/{checkinId}/annul");
        }, true),
        ["GET /api/series/{seriesId}/checkins"] = Read(w => $"/api/series/{w.Active.Id}/checkins"),
        ["GET /api/series/{seriesId}/checkins/export"] = Read(w => $"/api/series/{w.Active.Id}/checkins/export?format=csv"),
        ["GET /api/series/{seriesId}/metrics"] = Read(w => $"/api/series/{w.Active.Id}/metrics"),
        ["GET /api/series/{seriesId}/metrics/export"] = Read(w => $"/api/series/{w.Active.Id}/metrics/export?format=ndjson"),
        ["POST /api/series/{seriesId}/metrics/compute"] = Write(w => new(Post, $"/api/series/{w.Active.Id}/metrics/compute")),
        ["GET /api/series/{seriesId}/feed"] = Read(w => $"/api/series/{w.Active.Id}/feed"),
        ["GET /api/events/{eventId}/feed"] = Read(w => $"/api/events/{w.Event.Id}/feed"),
        ["GET /api/series/{seriesId}/capacity"] = Read(w => $"/api/series/{w.Active.Id}/capacity"),
        ["GET /api/audit"] = Read(w => $"/api/audit?organizationId={w.OrganizationId}"),
        // The matrix's host names no operators' organization; ClusterHealthTests covers one that does.
        ["GET /api/cluster/health (no operators' organization configured)"] = Read(_ => "/api/cluster/health"),
        ["GET /api/organizations/{organizationId}/integrations/secrets"] = Read(w => $"/api/organizations/{w.OrganizationId}/integrations/secrets"),
        ["POST /api/organizations/{organizationId}/integrations/{kind}/secrets"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/integrations/crm/secrets")),
        ["DELETE /api/organizations/{organizationId}/integrations/{kind}/secrets"] = Write(w => new(Delete, $"/api/organizations/{w.OrganizationId}/integrations/crm/secrets")),
        ["GET /api/organizations/{organizationId}/webhooks"] = Read(w => $"/api/organizations/{w.OrganizationId}/webhooks"),
        ["POST /api/organizations/{organizationId}/webhooks"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/webhooks", new
        {
            url = "http://127.0.0.1:9/another", eventTypes = new[] { "import.completed" },
        })),
        ["GET /api/organizations/{organizationId}/webhooks/{webhookId}"] = Read(w => $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}"),
        ["PATCH /api/organizations/{organizationId}/webhooks/{webhookId}"] = Write(w => new(HttpMethod.Patch, $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}", new
        {
            description = "Matrix receiver",
        })),
        ["DELETE /api/organizations/{organizationId}/webhooks/{webhookId}"] = Write(w => new(Delete, $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}"), dirties: true),
        ["POST /api/organizations/{organizationId}/webhooks/{webhookId}/rotate-secret"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}/rotate-secret")),
        // Resuming starts sending (to a closed port) in the background: a fresh world after it.
        ["POST /api/organizations/{organizationId}/webhooks/{webhookId}/resume"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}/resume"), dirties: true),
        ["POST /api/organizations/{organizationId}/webhooks/{webhookId}/replay"] = Write(w => new(Post, $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}/replay", new
        {
            from = w.WebhookDelivery,
        })),
        ["GET /api/organizations/{organizationId}/webhooks/{webhookId}/deliveries"] = Read(w => $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}/deliveries"),
        ["GET /api/organizations/{organizationId}/webhooks/{webhookId}/deliveries/{deliveryId}/attempts"] = Read(w =>
            $"/api/organizations/{w.OrganizationId}/webhooks/{w.Webhook.Id}/deliveries/{w.WebhookDelivery}/attempts"),
    };

    private static MatrixCase Read(Func<MatrixWorld, string> url) => new(c => Task.FromResult(new MatrixRequest(Get, url(c.World))), false);

    private static MatrixCase Write(Func<MatrixWorld, MatrixRequest> request, bool dirties = false) => new(c => Task.FromResult(request(c.World)), dirties);

    /// <summary>An allowed entry scanned by the caller themself (out, then in), or null when they may not scan.</summary>
    private static async Task<Guid?> OwnEntryAsync(MatrixContext c)
    {
        var url = $"/api/events/{c.World.Event.Id}/scans";
        var holder = new { nfcId = c.World.Holder.NfcId, gateId = c.World.Main.Id };
        var exit = await c.Caller.PostAsync(url, new { holder.nfcId, holder.gateId, direction = "out" });
        if (exit.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var entry = await c.Caller.PostOkAsync<ScanVerdict>(url, new { holder.nfcId, holder.gateId, direction = "in" }, HttpStatusCode.OK);
        Assert.True(entry.Allowed, entry.Reason);
        return entry.CheckinId;
    }
}
