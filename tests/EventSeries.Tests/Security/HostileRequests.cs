using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Fluent;
using FsGen = FsCheck.Gen<EventSeries.Tests.Security.HostileRequest>;

namespace EventSeries.Tests.Security;

/// <summary>A generated request: method, URL and raw body (null for none).</summary>
public sealed record HostileRequest(HttpMethod Method, string Url, string? Body)
{
    public override string ToString() => $"{Method} {Url} {(Body is { Length: > 400 } b ? b[..400] + $"... ({b.Length} chars)" : Body)}";
}

/// <summary>
/// FsCheck generators of hostile requests against every kind of endpoint: plausible bodies with
/// fields swapped for wrong types, extreme numbers, out-of-range dates, unknown enum values,
/// injection strings, unicode and duplicates; random JSON; malformed text; hostile query strings
/// and path segments.
/// </summary>
public static class HostileRequests
{
    private static readonly object?[] HostileValues =
    [
        null, true, false, 0, -1, -2147483648, 2147483647, 9223372036854775807L, 1e308, -1e308, 0.5, "",
        " ", "'; DROP TABLE events; --", "Robert'); DROP TABLE wristbands;--", "<script>alert(1)</script>", "\u0000", "\u202Eevil",
        "😀🎉", "ＮＦＣ０１", "nfc id with spaces", "ÄÖÜß-04A1", new string('x', 70), new string('y', 5000), "../../etc/passwd",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2027-13-45T99:00:00Z", "not-a-date", "1970-01-01", "00000000-0000-0000-0000-000000000000",
        "ACTIVE", "Active", "1", "owner", "cancelled", "completed", "unlimited", "out", "vip", "general", "Mars/Olympus_Mons", "UTC",
    ];

    /// <summary>Requests aimed at the given world (ids of real resources), in every shape.</summary>
    public static FsGen For(MatrixWorld w)
    {
        string[] guids = [w.Event.Id.ToString(), w.Active.Id.ToString(), w.Draft.Id.ToString(), w.Holder.Id.ToString(), w.Main.Id.ToString(), Guid.NewGuid().ToString()];
        (HttpMethod Method, string Path, JsonObject? Body)[] endpoints =
        [
            (HttpMethod.Post, "/api/events", Json(new { organizationId = w.OrganizationId, name = "Fuzz Fest", timeZone = "Europe/Berlin", categories = new[] { new { name = "general" } } })),
            (HttpMethod.Put, $"/api/events/{w.Event.Id}", Json(new { name = "Renamed", timeZone = "UTC", description = "d" })),
            (HttpMethod.Post, $"/api/events/{w.Event.Id}/categories", Json(new { name = "crew", description = "d" })),
            (HttpMethod.Post, $"/api/events/{w.Event.Id}/gates", Json(new { name = "Fuzz gate", kind = "entry", status = "open", allowedCategories = new[] { "general" } })),
            (HttpMethod.Put, $"/api/events/{w.Event.Id}/gates/{w.Side.Id}", Json(new { name = "Side", kind = "vip", status = "closed" })),
            (HttpMethod.Post, $"/api/events/{w.Event.Id}/wristbands", Json(new { wristbands = new[] { new { nfcId = "FUZZ0001", category = "general", status = "active", holderName = "H", holderEmail = "h@example.org" } } })),
            (HttpMethod.Put, $"/api/wristbands/{w.Spare.Id}/status", Json(new { status = "lost" })),
            (HttpMethod.Post, $"/api/events/{w.Event.Id}/tickets", Json(new
            {
                externalId = "FUZZ-1", source = "shop", holderName = "H", holderEmail = "h@example.org", ticketType = "general", seriesIds = new[] { w.Active.Id }, status = "valid",
            })),
            (HttpMethod.Put, $"/api/tickets/{w.Ticket.Id}", Json(new { externalId = w.Ticket.ExternalId, source = "shop", holderName = "H", ticketType = "general", seriesIds = new[] { w.Active.Id }, status = "used" })),
            (HttpMethod.Post, $"/api/tickets/{w.Ticket.Id}/exchange", Json(new { nfcId = w.Spare.NfcId, replace = true })),
            (HttpMethod.Post, $"/api/tickets/{w.Ticket.Id}/void", Json(new { status = "refunded", reason = "fuzz" })),
            (HttpMethod.Post, $"/api/events/{w.Event.Id}/devices", Json(new { name = "Fuzz handheld", gateIds = new[] { w.Main.Id } })),
            (HttpMethod.Post, "/api/series", Json(new
            {
                eventId = w.Event.Id, name = "Fuzz day", description = "d", startsAt = w.Draft.StartsAt, endsAt = w.Draft.EndsAt, capacity = 10, reentry = "single",
                checkInWindow = new { opensMinutesBeforeStart = 60, closesMinutesAfterStart = 120 }, gateIds = new[] { w.Main.Id },
                categoryLimits = new[] { new { category = "vip", maxWristbands = 2 } },
            })),
            (HttpMethod.Post, "/api/series/recurring", Json(new
            {
                eventId = w.Event.Id, name = "Fuzz weekly", startsAt = w.Draft.StartsAt, endsAt = w.Draft.EndsAt, instances = 3, publish = true,
                recurrence = new { rule = "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6", exceptionDates = new[] { "2027-01-04" }, timeZone = "Europe/Berlin" },
            })),
            (HttpMethod.Post, $"/api/series/recurring/{w.RecurringParent}/instances", Json(new { instances = 4, until = w.Draft.EndsAt, publish = false })),
            (HttpMethod.Put, $"/api/series/{w.Draft.Id}", Json(new { name = "Day 2", startsAt = w.Draft.StartsAt, endsAt = w.Draft.EndsAt, capacity = 5 })),
            (HttpMethod.Post, $"/api/series/{w.Draft.Id}/transitions", Json(new { to = "scheduled", reason = "fuzz" })),
            (HttpMethod.Post, $"/api/series/{w.Draft.Id}/gates", Json(new { gateIds = new[] { w.Side.Id, w.Side.Id } })),
            (HttpMethod.Post, $"/api/series/{w.Draft.Id}/categories", Json(new { limits = new[] { new { category = "vip", maxWristbands = 3 }, new { category = "vip", maxWristbands = 4 } } })),
            (HttpMethod.Post, $"/api/series/{w.Draft.Id}/wristbands", Json(new { wristbandId = w.Holder.Id })),
            (HttpMethod.Post, $"/api/series/{w.Draft.Id}/wristbands/bulk", Json(new { wristbandIds = new[] { w.Holder.Id, w.Holder.Id }, nfcIds = new[] { w.Spare.NfcId } })),
            (HttpMethod.Post, $"/api/events/{w.Event.Id}/scans", Json(new { nfcId = w.Holder.NfcId, gateId = w.Main.Id, direction = "in", scanId = Guid.NewGuid(), scannedAt = w.Active.StartsAt })),
            (HttpMethod.Post, $"/api/series/{w.Active.Id}/checkins/verify", Json(new { nfcId = w.Spare.NfcId, gateId = w.Main.Id, direction = "out" })),
            (HttpMethod.Post, $"/api/organizations/{w.OrganizationId}/members", Json(new { displayName = "Fuzzy", email = "fuzzy@example.org", role = "viewer" })),
            (HttpMethod.Put, $"/api/organizations/{w.OrganizationId}/members/{w.Target.UserId}", Json(new { role = "manager" })),
            (HttpMethod.Post, $"/api/organizations/{w.OrganizationId}/members/{w.Target.UserId}/tokens", Json(new { name = "t", expiresAt = w.Draft.EndsAt })),
            (HttpMethod.Post, "/api/organizations", Json(new { name = "Fuzz Org" })),
        ];
        string[] queries =
        [
            "/api/series", "/api/events", "/api/audit", $"/api/series/{w.Active.Id}/checkins", $"/api/events/{w.Event.Id}/wristbands",
            $"/api/series/{w.Active.Id}/wristbands", "/api/series/scannable", $"/api/events/{w.Event.Id}/tickets",
        ];
        string[] queryNames =
        [
            "page", "pageSize", "eventId", "lifecycle", "from", "to", "parentSeriesId", "gateId", "result", "reason", "category", "status", "organizationId", "action", "targetId",
            "seriesId", "holder",
        ];

        var value = Gen.Elements(HostileValues);
        var mutatedBody =
            from endpoint in Gen.Elements(endpoints)
            from count in Gen.Choose(1, 3)
            from mutations in Gen.ListOf(Gen.Zip(Gen.Choose(0, 1000), value), count)
            from extra in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("unknownField", "__proto__", "id", "organizationId")))
            from duplicateArrays in Gen.Elements(false, true)
            select new HostileRequest(endpoint.Method, endpoint.Path, Mutate(endpoint.Body!, mutations, extra, duplicateArrays));
        var randomJson =
            from endpoint in Gen.Elements(endpoints)
            from body in Gen.Elements(
                "", "{", "}", "[]", "null", "\"text\"", "{\"a\":", "{\"name\":\"x\",}", "{\"name\": NaN}", "{'name':'single quotes'}",
                "{\"name\":\"x\"}{\"name\":\"y\"}", "\u0000", "{\"name\":\"\\ud800\"}", new string('[', 5000) + new string(']', 5000),
                "{\"wristbands\":[" + string.Join(",", Enumerable.Repeat("{\"nfcId\":\"A1\",\"category\":\"general\"}", 10_001)) + "]}")
            select new HostileRequest(endpoint.Method, endpoint.Path, body);
        var hostileQuery =
            from path in Gen.Elements(queries)
            from pairs in Gen.ListOf(Gen.Zip(Gen.Elements(queryNames), value), 3)
            select new HostileRequest(HttpMethod.Get, path + "?" + string.Join("&", pairs.Select(p => $"{p.Item1}={Uri.EscapeDataString(Text(p.Item2))}")), null);
        var hostilePath =
            from template in Gen.Elements(
                "/api/series/{0}", "/api/events/{0}/gates", "/api/wristbands/{0}", "/api/devices/{0}", "/api/series/{0}/metrics", "/api/organizations/{0}/members",
                "/api/tickets/{0}", "/api/events/{0}/tickets")
            from segment in Gen.OneOf(Gen.Elements(guids), value.Select(v => Uri.EscapeDataString(Text(v))))
            from method in Gen.Elements(HttpMethod.Get, HttpMethod.Delete, HttpMethod.Put, HttpMethod.Patch)
            select new HostileRequest(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, segment), method == HttpMethod.Put ? "{}" : null);
        return Gen.Frequency((6, mutatedBody), (2, randomJson), (2, hostileQuery), (1, hostilePath));
    }

    /// <summary>A body too large to be accepted at all (over the 8 MiB cap).</summary>
    public static HostileRequest Oversized(MatrixWorld w) =>
        new(HttpMethod.Post, $"/api/events/{w.Event.Id}/wristbands", "{\"wristbands\":[" + new StringBuilder().Insert(0, "{\"nfcId\":\"OVERSIZED0001\",\"category\":\"general\"},", 200_000) + "]}");

    private static JsonObject Json(object value) => JsonSerializer.SerializeToNode(value, ApiClient.Json)!.AsObject();

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Replaces fields (at any depth, picked by index) with hostile values; optionally adds a field and doubles arrays.</summary>
    private static string Mutate(JsonObject template, IEnumerable<(int Pick, object? Value)> mutations, string? extraField, bool duplicateArrays)
    {
        var body = template.DeepClone().AsObject();
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(body, slots);
        foreach (var (pick, value) in mutations)
        {
            var (parent, key) = slots[pick % slots.Count];
            var node = JsonSerializer.SerializeToNode(value);
            if (parent is JsonObject o)
            {
                o[(string)key] = node;
            }
            else if (parent is JsonArray a && (int)key < a.Count)
            {
                a[(int)key] = node;
            }
        }

        if (extraField is not null)
        {
            body[extraField] = "surprise";
        }

        if (duplicateArrays)
        {
            foreach (var (parent, key) in slots.Where(s => s.Parent is JsonObject))
            {
                if (((JsonObject)parent)[(string)key] is JsonArray { Count: > 0 } array)
                {
                    array.Add(array[0]?.DeepClone());
                }
            }
        }

        return body.ToJsonString();
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, child) in o.ToList())
            {
                slots.Add((o, key));
                if (child is not null)
                {
                    Collect(child, slots);
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                slots.Add((a, i));
                if (a[i] is { } child)
                {
                    Collect(child, slots);
                }
            }
        }
    }
}
