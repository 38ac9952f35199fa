using System.Text;
using System.Text.RegularExpressions;
using EventSeries.Series;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventSeries.Tests.WebConsole;

/// <summary>
/// The browser console and the scanner page in a real (headless Debian) Chromium against the whole
/// system: every click goes through the built front-end to the API, the grains and PostgreSQL.
/// Assertions are Playwright's auto-waiting Expect(…), never sleeps.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ConsoleTests(ConsoleFixture fixture)
{
    private static readonly PageGetByRoleOptions Exact = new() { Exact = true };

    [Fact]
    public async Task Console_EndToEnd_CreateImportAssignActivate_ScanAllowThenDeny_LiveViewUpdates_Cancel()
    {
        var tenant = await fixture.NewTenantAsync("Console Org");
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, tenant.Token);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Events of Console Org" })).ToBeVisibleAsync();

        // An event with one category, then a second category and a gate.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Summer Fest");
        await page.GetByLabel("Time zone (IANA)").FillAsync("UTC");
        await page.GetByLabel("Wristband categories (comma-separated)").FillAsync("general");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Summer Fest", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Category name").FillAsync("vip");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add category" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "vip", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Gate name", new() { Exact = true }).FillAsync("Main");
        await page.GetByLabel("Gate kind", new() { Exact = true }).SelectOptionAsync("entry");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add gate" }).ClickAsync();
        await Expect(page.GetByLabel("Name of gate Main")).ToHaveValueAsync("Main");

        // A wristband file, uploaded and followed until its import job completes.
        var csv = "nfc_id,category\n04C0000001,general\n04C0000002,general\n04C0000003,vip\n";
        await page.GetByLabel("Wristband file (CSV or NDJSON)").SetInputFilesAsync(
            new FilePayload { Name = "bands.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(page.Locator(".import-status")).ToContainTextAsync("Import completed: 3 rows read, 3 created");

        // A scanner device for the gate: its token shown once, with a QR code.
        await page.GetByLabel("Device name").FillAsync("Main 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enrol device" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the token of Main 1" })).ToBeVisibleAsync();
        var deviceToken = (await page.Locator("code.token").TextContentAsync())!.Trim();
        Assert.StartsWith("es_", deviceToken);
        await ConsoleFixture.ScreenshotAsync(page, "console-event");

        // A series on the gate, window open now; every wristband assigned; scheduled, then active.
        await page.GetByLabel("Series name").FillAsync("Day 1");
        await page.GetByLabel("Capacity").FillAsync("100");
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "New series" }).GetByRole(AriaRole.Checkbox, new() { Name = "Main" })).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create series" }).ClickAsync();
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("draft");
        await page.GetByLabel("Which wristbands").SelectOptionAsync("all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        await Expect(page.Locator(".assigned")).ToHaveTextAsync("3 wristbands assigned");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Activate" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("scheduled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("active");
        var seriesPath = new Uri(page.Url).AbsolutePath;

        // The live view, connected to the feed; a marker tells a reload apart from a live update.
        await page.GetByRole(AriaRole.Link, new() { Name = "Live view" }).ClickAsync();
        await Expect(page.Locator(".feed-status")).ToHaveTextAsync("open");
        await Expect(page.GetByTestId("occupancy")).ToHaveTextAsync("0");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // The gate: the device token, the gate, a wristband twice.
        var scanner = await fixture.NewPageAsync(new ViewportSize { Width = 360, Height = 740 });
        await scanner.GotoAsync("/scanner");
        await scanner.GetByLabel("Scanner token").FillAsync(deviceToken);
        await scanner.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(scanner.GetByLabel("Gate")).ToContainTextAsync("Main (entry) · Day 1");
        await scanner.GetByRole(AriaRole.Button, new() { Name = "Start scanning" }).ClickAsync();
        var uid = scanner.GetByLabel("Wristband NFC UID");
        await Expect(uid).ToBeFocusedAsync();
        await uid.FillAsync("04c0000001");
        await uid.PressAsync("Enter");
        var result = scanner.GetByTestId("scan-result");
        await Expect(result).ToHaveClassAsync(new Regex(@"\ballow\b"));
        await Expect(result).ToContainTextAsync("ALLOW");
        await Expect(result).ToContainTextAsync("Welcome to Day 1");
        await ConsoleFixture.ScreenshotAsync(scanner, "scanner-allow");
        await Expect(uid).ToBeFocusedAsync();
        await uid.FillAsync("04C0000001");
        await uid.PressAsync("Enter");
        await Expect(result).ToHaveClassAsync(new Regex(@"\bdeny\b"));
        await Expect(result).ToContainTextAsync("DENY");
        await Expect(result).ToContainTextAsync("This wristband is already inside.");
        await ConsoleFixture.ScreenshotAsync(scanner, "scanner-deny");

        // The live view followed without a reload, within a few seconds.
        var live = new LocatorAssertionsToHaveTextOptions { Timeout = 5000 };
        await Expect(page.GetByTestId("occupancy")).ToHaveTextAsync("1", live);
        await Expect(page.Locator("dd[data-metric='denied']")).ToHaveTextAsync("1", live);
        // Both scans streamed in (in either order: the tests' domain clock stands still, so they share one instant).
        await Expect(page.Locator(".last-scans li", new() { HasText = "denied already_inside" })).ToHaveCountAsync(1, new() { Timeout = 5000 });
        await Expect(page.Locator(".last-scans li", new() { HasText = "allowed ok" })).ToHaveCountAsync(1, new() { Timeout = 5000 });
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Denials by reason" })).ToContainTextAsync("already_inside", new() { Timeout = 5000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await ConsoleFixture.ScreenshotAsync(page, "console-live");

        // Cancel: a confirmation first; keeping it changes nothing, confirming cancels.
        await page.GotoAsync(seriesPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel series…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Cancel Day 1?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep the series" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel series…" }).ClickAsync();
        await dialog.GetByLabel("Reason").FillAsync("storm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel the series" }).ClickAsync();
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("cancelled");
        await Expect(page.GetByText("no further moves")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Transitions" })).ToContainTextAsync("storm");
        await ConsoleFixture.ScreenshotAsync(page, "console-cancelled");
    }

    [Fact]
    public async Task Token_NeverAppearsInAnyRequestedUrl_AndTravelsOnlyInTheAuthorizationHeader()
    {
        var tenant = await fixture.NewTenantAsync("Url Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await ScannableNowAsync(owner);
        await s.TransitionAsync(SeriesLifecycle.Scheduled);
        await s.TransitionAsync(SeriesLifecycle.Active);

        var page = await fixture.NewPageAsync();
        var requests = new List<Microsoft.Playwright.IRequest>();
        page.Request += (_, request) => requests.Add(request);
        await SignInAsync(page, tenant.Token);
        await page.GetByRole(AriaRole.Link, new() { Name = s.Event.Name }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = s.Event.Name, Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync($"/series/{s.Series.Id}/live");
        await Expect(page.Locator(".feed-status")).ToHaveTextAsync("open");
        await StartScanningAsync(page, tenant.Token);
        await page.GetByLabel("Wristband NFC UID").FillAsync(s.Wristbands[0].NfcId);
        await page.GetByLabel("Wristband NFC UID").PressAsync("Enter");
        await Expect(page.GetByTestId("scan-result")).ToHaveClassAsync(new Regex(@"\b(allow|deny)\b"));

        Assert.Contains(requests, r => r.Url.Contains("/feed"));
        Assert.Contains(requests, r => r.Url.Contains("/scans"));
        Assert.All(requests, r => Assert.DoesNotContain(tenant.Token, Uri.UnescapeDataString(r.Url)));
        Assert.All(requests.Where(r => new Uri(r.Url).AbsolutePath.StartsWith("/api/")), r =>
            Assert.Equal($"Bearer {tenant.Token}", r.Headers.GetValueOrDefault("authorization")));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
    }

    [Fact]
    public async Task ScannerPage_At360PixelsWide_FitsWithoutSideScrolling_AndTheAnswerFillsTheScreen()
    {
        var tenant = await fixture.NewTenantAsync("Narrow Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await ScannableNowAsync(owner);
        await s.TransitionAsync(SeriesLifecycle.Scheduled);

        var page = await fixture.NewPageAsync(new ViewportSize { Width = 360, Height = 740 });
        await StartScanningAsync(page, tenant.Token);
        var uid = page.GetByLabel("Wristband NFC UID");
        await Expect(uid).ToBeFocusedAsync();
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
        var scan = await page.GetByRole(AriaRole.Button, new() { Name = "Scan", Exact = true }).BoundingBoxAsync();
        Assert.NotNull(scan);
        Assert.True(scan.X >= 0 && scan.X + scan.Width <= 360 && scan.Height >= 40, $"Scan button at {scan.X}+{scan.Width}, {scan.Height} high");
        await ConsoleFixture.ScreenshotAsync(page, "scanner-360");

        await uid.FillAsync("04FFFFFFFF");
        await uid.PressAsync("Enter");
        var result = page.GetByTestId("scan-result");
        await Expect(result).ToContainTextAsync("DENY");
        await Expect(result).ToContainTextAsync("unknown_wristband");
        var box = await result.BoundingBoxAsync();
        Assert.Equal((360f, 740f), (box!.Width, box.Height));
        await ConsoleFixture.ScreenshotAsync(page, "scanner-360-deny");

        // After 2 s the answer goes away and the input is ready for the next read.
        await Expect(result).ToBeHiddenAsync(new() { Timeout = 5000 });
        await Expect(uid).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Scanner_RetriesA503AfterItsRetryAfter_WithTheSameScanId()
    {
        var tenant = await fixture.NewTenantAsync("Retry Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var s = await ScannableNowAsync(owner);
        await s.TransitionAsync(SeriesLifecycle.Scheduled);
        await s.TransitionAsync(SeriesLifecycle.Active);

        var page = await fixture.NewPageAsync(new ViewportSize { Width = 360, Height = 740 });
        await StartScanningAsync(page, tenant.Token);

        // The network answers the first attempt as the API does when it could not decide in time;
        // the second goes through to the real API.
        var sent = new List<string>();
        await page.RouteAsync("**/api/events/*/scans", async route =>
        {
            sent.Add(route.Request.PostDataJSON()!.Value.GetProperty("scanId").GetString()!);
            if (sent.Count == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 503,
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    ContentType = "application/problem+json",
                    Body = "{\"title\":\"Try again\",\"status\":503}",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GetByLabel("Wristband NFC UID").FillAsync(s.Wristbands[0].NfcId);
        await page.GetByLabel("Wristband NFC UID").PressAsync("Enter");
        await Expect(page.Locator(".scan-status")).ToContainTextAsync("retrying (1)");
        await Expect(page.GetByTestId("scan-result")).ToHaveClassAsync(new Regex(@"\b(allow|deny)\b"));
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0], sent[1]);
        Assert.True(Guid.TryParse(sent[0], out _));
    }

    [Fact]
    public async Task SignIn_ByKeyboardAlone_ExplainsARefusedToken_ThenSignsInAndOut()
    {
        var tenant = await fixture.NewTenantAsync("Keyboard Org");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        var token = page.GetByLabel("API token");
        await Expect(token).ToBeFocusedAsync();

        await page.Keyboard.TypeAsync("es_not-a-real-token");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The token was refused");
        await Expect(token).ToBeFocusedAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('eventseries.console.token')"));

        await page.Keyboard.TypeAsync(tenant.Token);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Events of Keyboard Org" })).ToBeVisibleAsync();
        Assert.Equal(tenant.Token, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('eventseries.console.token')"));

        // Tab through the header to Sign out; Enter signs out and forgets the token.
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        for (var i = 0; i < 10 && !await signOut.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(signOut).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("API token")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('eventseries.console.token')"));
    }

    [Fact]
    public async Task Members_AnOwnerAddsAMember_IssuesATokenShownOnce_RevokesIt_AndTheAuditLogShowsIt()
    {
        var tenant = await fixture.NewTenantAsync("Members Org");
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, tenant.Token);
        await page.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members and tokens" })).ToBeVisibleAsync();

        await page.GetByLabel("Display name").FillAsync("Bob");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("manager");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(page.GetByLabel("Role of Bob")).ToHaveValueAsync("manager");

        await page.GetByRole(AriaRole.Button, new() { Name = "Tokens of Bob" }).ClickAsync();
        await page.GetByLabel("Token name").FillAsync("Bob laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue token" }).ClickAsync();
        var secret = (await page.Locator("code.token").TextContentAsync())!.Trim();
        Assert.StartsWith("es_", secret);
        using (var asBob = fixture.Host.Client(secret))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await asBob.GetAsync("/api/organizations")).StatusCode);
        }

        var tokens = page.GetByRole(AriaRole.Table, new() { Name = "Tokens of Bob" });
        await tokens.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(tokens).ToContainTextAsync("revoked");
        using (var asBob = fixture.Host.Client(secret))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await asBob.GetAsync("/api/organizations")).StatusCode);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var audit = page.GetByRole(AriaRole.Table, new() { NameRegex = new Regex("^Audit entries") });
        await Expect(audit).ToContainTextAsync("member.add");
        await Expect(audit).ToContainTextAsync("token.revoke");
    }

    [Fact]
    public async Task ServesTheConsole_WithSecurityHeaders_AndNeverShadowsTheApi()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var page = await http.GetAsync("/series/00000000-0000-0000-0000-000000000000/live", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        foreach (var path in new[] { "/api/nothing-here", "/health", "/metrics", "/dashboard", "/openapi/nothing", "/scalar/x/y", "/not-a-console-route" })
        {
            var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/assets/missing.js", TestContext.Current.CancellationToken)).StatusCode);
    }

    /// <summary>The usual scenario, its series moved to start within the half hour (by the host's clock), so its check-in window is open and scanners list it.</summary>
    private async Task<Scenario> ScannableNowAsync(ApiClient owner)
    {
        var s = await Scenario.CreateAsync(owner);
        var start = fixture.Host.Clock.GetUtcNow().AddMinutes(30);
        await owner.PutOkAsync<SeriesView>($"/api/series/{s.Series.Id}", new
        {
            name = s.Series.Name, startsAt = start, endsAt = start.AddHours(4), checkInWindow = new { opensMinutesBeforeStart = 60 },
        });
        return s;
    }

    private static Task SignInAsync(IPage page, string token) => ConsoleFixture.SignInAsync(page, token);

    /// <summary>Signs in on the scanner page and starts scanning at the gate it offers first.</summary>
    private static async Task StartScanningAsync(IPage page, string token)
    {
        await page.GotoAsync("/scanner");
        await page.GetByLabel("Scanner token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scanning" }).ClickAsync();
    }
}
