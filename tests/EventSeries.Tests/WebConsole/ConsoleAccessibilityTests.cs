using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventSeries.Tests.WebConsole;

/// <summary>
/// The console's and scanner page's main screens checked by axe-core (the accessibility engine,
/// from web/node_modules: a dev dependency of the console) in the real browser: labels, contrast,
/// roles, names and landmarks. Any violation rated serious or critical fails, named with its nodes.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ConsoleAccessibilityTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SignIn_Events_Event_Series_LiveView_AndScanner_HaveNoSeriousAxeViolations()
    {
        var tenant = await fixture.NewTenantAsync("Accessible Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(owner, fixture.Host.Clock.GetUtcNow());

        // axe is injected as a script: the console's CSP (script-src 'self') would refuse it, rightly.
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseUrl, BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByLabel("API token")).ToBeVisibleAsync();
        var problems = new List<string>();
        problems.AddRange(await ViolationsAsync(page, "sign-in"));

        await ConsoleFixture.SignInAsync(page, tenant.Token);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Events of Accessible Org" })).ToBeVisibleAsync();
        problems.AddRange(await ViolationsAsync(page, "events"));

        await page.GotoAsync($"/events/{g.Event.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Gate Festival", Level = 1 })).ToBeVisibleAsync();
        problems.AddRange(await ViolationsAsync(page, "event"));

        await page.GotoAsync($"/series/{g.Series.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Day 1");
        problems.AddRange(await ViolationsAsync(page, "series"));

        await page.GotoAsync($"/series/{g.Series.Id}/live");
        await Expect(page.GetByTestId("feed-status")).ToHaveTextAsync("open", new() { Timeout = 10000 });
        problems.AddRange(await ViolationsAsync(page, "live view"));

        await page.GotoAsync("/scanner");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        problems.AddRange(await ViolationsAsync(page, "scanner sign-in"));

        Assert.Empty(problems);
    }

    private static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string screen)
    {
        await page.AddScriptTagAsync(new() { Path = AxeScript() });
        var json = await page.EvaluateAsync<string>(
            """
            async () => {
              const result = await axe.run(document, { resultTypes: ["violations"] });
              return JSON.stringify(result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) })));
            }
            """);
        using var violations = JsonDocument.Parse(json);
        return [.. violations.RootElement.EnumerateArray().Select(v =>
            $"{screen}: {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}) {v.GetProperty("help").GetString()} at {v.GetProperty("nodes")}")];
    }

    private static string AxeScript()
    {
        var path = Path.Combine(Path.GetDirectoryName(ConsoleFixture.BuiltConsole())!, "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(path), $"axe-core is missing at {path}: run scripts/build-web.sh (npm ci in web/).");
        return path;
    }
}
