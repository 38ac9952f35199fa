using System.Net;
using EventSeries.Api.Feed;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Organizations;
using EventSeries.Series;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Feed;

/// <summary>
/// The live feed through the real HTTP API on a real PostgreSQL: check-ins (allowed and denied),
/// metrics, transitions and heartbeats arrive as Server-Sent Events; viewers get no wristband ids;
/// another organization's ids are 404 before any stream starts; a client resuming with
/// Last-Event-ID gets exactly what it missed and then live events, each once; a client that stops
/// reading is dropped while another keeps receiving; a revoked token ends the stream.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class LiveFeedTests(LiveFeedTests.Host fixture) : IClassFixture<LiveFeedTests.Host>
{
    [Fact]
    public async Task AScan_AllowedOrDenied_ArrivesOnTheSeriesAndTheEventFeed_WithReasonGateCategoryDirectionAndTime()
    {
        var g = await fixture.NewGateAsync();
        await using var series = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed");
        await using var ofEvent = await fixture.OpenAsync($"/api/events/{g.Event.Id}/feed");

        var allowed = await g.ScanAsync(g.Wristbands[0].NfcId);
        fixture.Tick();
        // A general wristband at the VIP gate: denied with the category as detail, logged against the series.
        var denied = await g.ScanAsync(g.Wristbands[1].NfcId, g.Vip);
        Assert.True(allowed.Allowed);
        Assert.False(denied.Allowed);
        Assert.Equal(g.Series.Id, denied.SeriesId);

        foreach (var feed in new[] { series, ofEvent })
        {
            var first = await feed.NextOfTypeAsync("checkin");
            var second = await feed.NextOfTypeAsync("checkin");
            AssertCheckin(first, allowed, "allowed");
            AssertCheckin(second, denied, "denied");
        }
    }

    [Fact]
    public async Task Metrics_ArriveOnConnect_AndAgainAfterScans()
    {
        var g = await fixture.NewGateAsync();
        await using var feed = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed");
        var initial = await feed.NextOfTypeAsync("metrics");
        Assert.Equal(0, initial.Json.GetProperty("totalScans").GetInt64());

        await g.ScanAsync(g.Wristbands[0].NfcId);
        await g.ScanAsync(g.Wristbands[1].NfcId);

        SseEvent metrics;
        do
        {
            metrics = await feed.NextOfTypeAsync("metrics");
        }
        while (metrics.Json.GetProperty("totalScans").GetInt64() < 2);

        Assert.Equal(2, metrics.Json.GetProperty("allowed").GetInt64());
        Assert.Equal(2, metrics.Json.GetProperty("occupancy").GetInt64());
    }

    [Fact]
    public async Task AViewer_GetsCheckinsWithoutTheWristband_AMemberWithIt()
    {
        var g = await fixture.NewGateAsync();
        var viewerToken = await fixture.MemberTokenAsync("viewer");
        var memberToken = await fixture.MemberTokenAsync("member");
        await using var viewer = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed", viewerToken);
        await using var member = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed", memberToken);

        var verdict = await g.ScanAsync(g.Wristbands[0].NfcId);

        var seenByViewer = await viewer.NextOfTypeAsync("checkin");
        var seenByMember = await member.NextOfTypeAsync("checkin");
        Assert.False(seenByViewer.Json.TryGetProperty("wristbandId", out _));
        Assert.DoesNotContain(verdict.WristbandId!.Value.ToString(), seenByViewer.Data, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(verdict.NfcId, seenByViewer.Data, StringComparison.Ordinal);
        Assert.Equal(verdict.WristbandId, seenByMember.Json.GetProperty("wristbandId").GetGuid());
        Assert.Equal(verdict.CheckinId, seenByViewer.Json.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task AnotherOrganizationsSeriesOrEvent_Is404ProblemDetails_BeforeAnyStream_AndABadLastEventIdIs400()
    {
        var g = await fixture.NewGateAsync();
        var other = await fixture.NewTenantClientAsync();

        foreach (var url in new[] { $"/api/series/{g.Series.Id}/feed", $"/api/events/{g.Event.Id}/feed", $"/api/series/{Guid.NewGuid()}/feed" })
        {
            using var response = await other.SendHeadersFirstAsync(HttpMethod.Get, url, null);
            await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, "not_found");
        }

        using var bad = await g.Client.SendHeadersFirstAsync(HttpMethod.Get, $"/api/series/{g.Series.Id}/feed", null, lastEventId: "12-x-nonsense");
        var problem = await ApiClient.ProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Last-Event-ID", out _), problem.ToString());
        Assert.False(fixture.Hub.Watches(g.Series.Id));
    }

    [Fact]
    public async Task Resuming_WithLastEventId_ReplaysExactlyTheMissedCheckins_ThenGoesOnLive()
    {
        var g = await fixture.NewGateAsync();
        var path = $"/api/series/{g.Series.Id}/feed";
        string lastId;
        await using (var first = await fixture.OpenAsync(path))
        {
            await g.ScanAsync(g.Wristbands[0].NfcId);
            var seen = await first.NextOfTypeAsync("checkin");
            lastId = seen.Id!;
        }

        // Missed while disconnected: an exit, a denial and an entry, each a millisecond after the other.
        var missed = new List<ScanVerdict>();
        foreach (var (band, gate, direction) in new[] { (0, g.Main, "out"), (1, g.Vip, "in"), (2, g.Main, "in") })
        {
            fixture.Tick();
            missed.Add(await g.ScanAsync(g.Wristbands[band].NfcId, gate, direction));
        }

        await using var resumed = await fixture.OpenAsync(path, lastEventId: lastId);
        var replayed = await resumed.PositionedUntilQuietAsync(missed.Count);
        Assert.Equal(missed.Select(v => v.CheckinId), replayed.Select(e => e.Json.GetProperty("id").GetGuid()));
        Assert.All(replayed, e => Assert.NotNull(e.Id));

        fixture.Tick();
        var live = await g.ScanAsync(g.Wristbands[3].NfcId);
        var next = await resumed.PositionedUntilQuietAsync(1);
        Assert.Equal([live.CheckinId], next.Select(e => e.Json.GetProperty("id").GetGuid()));
    }

    /// <summary>
    /// Scans keep coming while a client hangs up and resumes (the hand-over from the log to the live
    /// feed happens under load): the two connections together hold every logged check-in once.
    /// </summary>
    [Fact]
    public async Task Resuming_WhileScansGoOn_SeesEveryLoggedCheckinExactlyOnce()
    {
        var g = await fixture.NewGateAsync(general: 6);
        var path = $"/api/series/{g.Series.Id}/feed";
        using var stop = new CancellationTokenSource();
        var scanning = Task.WhenAll(g.Wristbands.Take(6).Select(async w =>
        {
            var direction = "in";
            while (!stop.IsCancellationRequested)
            {
                // The domain clock moves with the scans, as a real one would: a log whose rows all
                // share one `at` would order them by id alone.
                fixture.Tick();
                await g.ScanAsync(w.NfcId, direction: direction);
                direction = direction == "in" ? "out" : "in";

                // Paced (at most ~300 scans a second in all): the test reads every event on a shared
                // two-core machine, and a reader that falls ClientBuffer behind is dropped by design.
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }));

        var received = new List<Guid>();
        await using (var first = await fixture.OpenAsync(path))
        {
            for (var i = 0; i < 20; i++)
            {
                received.Add((await first.NextOfTypeAsync("checkin")).Json.GetProperty("id").GetGuid());
            }

            await using var resumed = await fixture.OpenAsync(path, lastEventId: first.LastEventId);
            await first.DisposeAsync();
            for (var i = 0; i < 40; i++)
            {
                received.Add((await resumed.NextOfTypeAsync("checkin")).Json.GetProperty("id").GetGuid());
            }

            await stop.CancelAsync();
            await scanning;

            // Everything logged from the first received check-in on, by position, must arrive.
            var expected = await Db.CountAsync(
                fixture.ConnectionString,
                "SELECT count(*) FROM checkin_logs WHERE series_id = @s AND (at, id) >= (SELECT at, id FROM checkin_logs WHERE id = @first)",
                ("s", g.Series.Id), ("first", received[0]));
            while (received.Count < expected)
            {
                received.Add((await resumed.NextOfTypeAsync("checkin")).Json.GetProperty("id").GetGuid());
            }

            // Then nothing more (no duplicate) for two heartbeats, longer than events are held.
            for (var heartbeats = 0; heartbeats < 2;)
            {
                var next = await resumed.NextAsync() ?? throw new InvalidOperationException("The stream ended.");
                heartbeats += next.Type == "heartbeat" ? 1 : 0;
                if (next.Type == "checkin")
                {
                    received.Add(next.Json.GetProperty("id").GetGuid());
                }
            }

            Assert.Equal(expected, received.Count);
        }

        Assert.Equal(received.Count, received.Distinct().Count());
    }

    [Fact]
    public async Task Resuming_FromFurtherBackThanTheReplayReaches_GetsAResetFirst_ThenLiveEvents()
    {
        var g = await fixture.NewGateAsync();
        var tooOld = FeedPosition.OfCheckin(Guid.NewGuid(), fixture.Now - TimeSpan.FromHours(2)).ToString();

        await using var feed = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed", lastEventId: tooOld);
        var first = await feed.NextAsync();
        Assert.Equal("reset", first?.Type);
        Assert.Contains("Last-Event-ID", first!.Text("reason"), StringComparison.Ordinal);

        var verdict = await g.ScanAsync(g.Wristbands[0].NfcId);
        Assert.Equal(verdict.CheckinId, (await feed.NextOfTypeAsync("checkin")).Json.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task AnEventsFeed_FollowsASeriesCreatedAfterItOpened()
    {
        var g = await fixture.NewGateAsync();
        await using var feed = await fixture.OpenAsync($"/api/events/{g.Event.Id}/feed");
        var start = fixture.Now.AddHours(2);
        var added = await g.Client.PostOkAsync<SeriesView>("/api/series", new
        {
            eventId = g.Event.Id, name = "Day 2", startsAt = start, endsAt = start.AddHours(6), gateIds = new[] { g.Main.Id },
        });

        // Taken in at the next refresh of the process's feeds (every second here).
        await Eventually.ValueAsync(() => Task.FromResult(fixture.Hub.Watches(added.Id)), watched => watched);
        fixture.Tick();
        var scheduled = await g.Client.PostOkAsync<SeriesTransition>($"/api/series/{added.Id}/transitions", new { to = "scheduled" });

        // The first series' own activation may still be on its way; the new series' transition follows.
        SseEvent transition;
        do
        {
            transition = await feed.NextOfTypeAsync("transition");
        }
        while (transition.Json.GetProperty("seriesId").GetGuid() == g.Series.Id);

        Assert.Equal((added.Id, scheduled.Id), (transition.Json.GetProperty("seriesId").GetGuid(), transition.Json.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Transitions_ArriveAsTheyAreLogged()
    {
        var g = await fixture.NewGateAsync(activate: false);
        await using var feed = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed");
        await using var ofEvent = await fixture.OpenAsync($"/api/events/{g.Event.Id}/feed");

        var scheduled = await g.TransitionAsync("scheduled");
        var active = await g.TransitionAsync("active");

        foreach (var client in new[] { feed, ofEvent })
        {
            var first = await client.NextOfTypeAsync("transition");
            var second = await client.NextOfTypeAsync("transition");
            Assert.Equal((scheduled.Id, "draft", "scheduled"), (first.Json.GetProperty("id").GetInt64(), first.Text("from"), first.Text("to")));
            Assert.Equal((active.Id, "scheduled", "active"), (second.Json.GetProperty("id").GetInt64(), second.Text("from"), second.Text("to")));
            Assert.Equal(FeedPosition.OfTransition(active.Id, active.At).ToString(), second.Id);
        }
    }

    [Fact]
    public async Task Gates_ArriveOnConnect_ThenWhenTheirStateChanges_JammedByADenialSpike_AndClosed()
    {
        var g = await fixture.NewGateAsync();
        await using var feed = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed");

        // On connect: each gate assigned to the series, open and quiet.
        var initial = new[] { await feed.NextOfTypeAsync("gate"), await feed.NextOfTypeAsync("gate") };
        Assert.Equal([g.Main.Id, g.Vip.Id], initial.Select(e => e.Json.GetProperty("gateId").GetGuid()).Order());
        Assert.All(initial, e => Assert.Equal(("open", false), (e.Text("status"), e.Json.GetProperty("jammed").GetBoolean())));

        // General wristbands at the VIP gate, again and again: every scan denied, so the gate looks jammed.
        for (var i = 0; i < GateActivitySpike; i++)
        {
            Assert.False((await g.ScanAsync(g.Wristbands[i % 3].NfcId, g.Vip)).Allowed);
        }

        var jammed = await NextGateAsync(feed, e => e.Json.GetProperty("gateId").GetGuid() == g.Vip.Id && e.Json.GetProperty("jammed").GetBoolean());
        Assert.StartsWith("denials_spike", jammed.Text("jammedReason"), StringComparison.Ordinal);
        Assert.Equal(GateActivitySpike, jammed.Json.GetProperty("deniedThisMinute").GetInt32());
        Assert.Equal(g.Series.Id, jammed.Json.GetProperty("seriesId").GetGuid());

        // Closing a gate shows on the feed without any scan.
        await g.Client.PutOkAsync<GateView>($"/api/events/{g.Event.Id}/gates/{g.Main.Id}", new { name = "Main", kind = "mixed", status = "closed" });
        await NextGateAsync(feed, e => e.Json.GetProperty("gateId").GetGuid() == g.Main.Id && e.Text("status") == "closed");
    }

    private const int GateActivitySpike = EventSeries.Grains.Gates.GateActivity.SpikeMinimumScans;

    private static async Task<SseEvent> NextGateAsync(FeedClient feed, Func<SseEvent, bool> match)
    {
        while (true)
        {
            var gate = await feed.NextOfTypeAsync("gate");
            if (match(gate))
            {
                return gate;
            }
        }
    }

    [Fact]
    public async Task TheStream_TellsProxiesNotToBufferIt()
    {
        var g = await fixture.NewGateAsync();
        using var response = await g.Client.SendHeadersFirstAsync(HttpMethod.Get, $"/api/series/{g.Series.Id}/feed", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["no"], response.Headers.GetValues("X-Accel-Buffering"));
    }

    [Fact]
    public async Task AHeartbeat_ArrivesWhileNothingHappens()
    {
        var g = await fixture.NewGateAsync();
        await using var feed = await fixture.OpenAsync($"/api/events/{g.Event.Id}/feed");

        var heartbeat = await feed.NextOfTypeAsync("heartbeat", TimeSpan.FromSeconds(5));
        Assert.Null(heartbeat.Id);
        Assert.True(heartbeat.Json.TryGetProperty("at", out _));
    }

    [Fact]
    public async Task AClientThatStopsReading_IsDropped_WhileAnotherKeepsReceivingEverything()
    {
        var g = await fixture.NewGateAsync(general: 8);
        var path = $"/api/series/{g.Series.Id}/feed";
        await using var stalled = await fixture.OpenAsync(path, receiveBufferBytes: 4096);
        await using var reader = await fixture.OpenAsync(path);
        var readAll = ReadCheckinsAsync(reader);

        // Until the stalled client's buffers (socket, server, and ClientBuffer events) are full.
        // Each round waits for the reading client to have it all, so only the stalled one falls
        // behind (on a busy machine this test's own reader could otherwise fall ClientBuffer behind too).
        var scanned = 0;
        while (fixture.Hub.Subscribers(FeedHub.SeriesKey(g.Series.Id)) > 1)
        {
            Assert.True(scanned < 20_000, "The stalled client was never dropped.");
            await ScanRoundAsync(g, 100);
            scanned += 100;
            Assert.Equal(scanned, (await readAll(scanned)).Count);
        }

        await ScanRoundAsync(g, 100);
        scanned += 100;
        var received = await readAll(scanned);
        Assert.Equal(scanned, received.Count);
        Assert.Equal(scanned, received.Distinct().Count());

        // The dropped client's stream ends after what was already on its way.
        var events = 0;
        while (await stalled.NextAsync() is not null)
        {
            events++;
        }

        Assert.True(events < scanned, $"The stalled client got all {events} events.");
    }

    [Fact]
    public async Task RevokingTheToken_EndsAnOpenStream_AtTheNextHeartbeat()
    {
        var g = await fixture.NewGateAsync();
        var (token, tokenId) = await fixture.MemberTokenWithIdAsync("viewer");
        await using var feed = await fixture.OpenAsync($"/api/series/{g.Series.Id}/feed", token);
        await feed.NextOfTypeAsync("heartbeat");

        Assert.Equal(HttpStatusCode.OK, (await g.Client.DeleteAsync($"/api/organizations/{fixture.OrganizationId}/tokens/{tokenId}")).StatusCode);

        // Heartbeats come every half second; the one after the revocation ends the stream.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (await feed.NextAsync() is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The stream is still open five seconds after its token was revoked.");
        }

        using var again = await g.Client.SendHeadersFirstAsync(HttpMethod.Get, $"/api/series/{g.Series.Id}/feed", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static void AssertCheckin(SseEvent e, ScanVerdict verdict, string result)
    {
        var json = e.Json;
        Assert.Equal(verdict.CheckinId, json.GetProperty("id").GetGuid());
        Assert.Equal(result, json.GetProperty("result").GetString());
        Assert.Equal(verdict.Reason, json.GetProperty("reason").GetString());
        Assert.Equal(verdict.GateId, json.GetProperty("gateId").GetGuid());
        Assert.Equal(verdict.Category, json.GetProperty("category").GetString());
        Assert.Equal("in", json.GetProperty("direction").GetString());
        Assert.Equal(verdict.At, json.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(FeedPosition.OfCheckin(verdict.CheckinId, verdict.At).ToString(), e.Id);
    }

    /// <summary>Reads check-in ids in the background until asked for <c>count</c> of them.</summary>
    private static Func<int, Task<List<Guid>>> ReadCheckinsAsync(FeedClient client)
    {
        var ids = new List<Guid>();
        var pump = Task.Run(async () =>
        {
            while (await client.NextAsync(TimeSpan.FromSeconds(30)) is { } next)
            {
                if (next.Type == "checkin")
                {
                    lock (ids)
                    {
                        ids.Add(next.Json.GetProperty("id").GetGuid());
                    }
                }
            }
        });
        return async count =>
        {
            await Eventually.ValueAsync(() => Task.FromResult(Snapshot()), s => s.Count >= count || pump.IsCompleted, TimeSpan.FromSeconds(30));
            return Snapshot();
        };

        List<Guid> Snapshot()
        {
            lock (ids)
            {
                return [.. ids];
            }
        }
    }

    /// <summary><paramref name="count"/> allowed scans, wristbands in parallel, each going in and out in turn.</summary>
    private static async Task ScanRoundAsync(GateScenario g, int count)
    {
        var bands = g.Wristbands.Where(w => w.Category == "general").ToList();
        await Task.WhenAll(bands.Select(async (w, i) =>
        {
            for (var n = i; n < count; n += bands.Count)
            {
                await g.ScanAsync(w.NfcId, direction: (n / bands.Count) % 2 == 0 ? "in" : "out");
            }
        }));
    }

    public sealed class Host(PostgresServer postgres) : IAsyncLifetime
    {
        private ApiHost? _host;
        private Tenant? _tenant;
        private ApiClient? _owner;

        public string ConnectionString => _host!.ConnectionString;

        public Guid OrganizationId => _tenant!.OrganizationId;

        public FeedHub Hub => _host!.App.Services.GetRequiredService<FeedHub>();

        public async ValueTask InitializeAsync()
        {
            _host = await ApiHost.StartAsync(
                await postgres.CreateDatabaseAsync(),
                settings: new Dictionary<string, string?>
                {
                    ["EventSeries:Feed:HeartbeatInterval"] = "00:00:00.5",
                    ["EventSeries:Feed:ClientBuffer"] = "2000",
                    ["EventSeries:Feed:ObserverRefresh"] = "00:00:01",
                });
            _tenant = await Tenant.BootstrapAsync(_host.ConnectionString);
            _owner = _host.Client(_tenant.Token);
        }

        public DateTimeOffset Now => _host!.Clock.GetUtcNow();

        /// <summary>Moves the domain clock a millisecond, so the next scan's <c>at</c> (its place in the feed) is later.</summary>
        public void Tick() => _host!.Clock.Advance(TimeSpan.FromMilliseconds(1));

        /// <summary>
        /// A new event with a series; the clock moves on after it, so its scans come after its
        /// transitions in the feed's order (the fake clock stands still otherwise).
        /// </summary>
        public async Task<GateScenario> NewGateAsync(int general = 3, bool activate = true)
        {
            var scenario = await GateScenario.CreateAsync(_owner!, _host!.Clock.GetUtcNow(), general: general, activate: activate);
            Tick();
            return scenario;
        }

        public Task<FeedClient> OpenAsync(string path, string? token = null, string? lastEventId = null, int? receiveBufferBytes = null) =>
            FeedClient.OpenAsync(_host!.BaseAddress, token ?? _tenant!.Token, path, lastEventId, receiveBufferBytes);

        public async Task<string> MemberTokenAsync(string role) => (await MemberTokenWithIdAsync(role)).Token;

        public async Task<(string Token, Guid TokenId)> MemberTokenWithIdAsync(string role)
        {
            var added = await _owner!.PostOkAsync<MemberView>($"/api/organizations/{OrganizationId}/members", new { displayName = "Feed " + role, role });
            var token = await _owner.PostOkAsync<IssuedToken>($"/api/organizations/{OrganizationId}/members/{added.UserId}/tokens", new { name = role });
            return (token.Secret, token.Token.Id);
        }

        public async Task<ApiClient> NewTenantClientAsync() => _host!.Client((await Tenant.BootstrapAsync(ConnectionString, "Other Org")).Token);

        public async ValueTask DisposeAsync()
        {
            _owner?.Dispose();
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
