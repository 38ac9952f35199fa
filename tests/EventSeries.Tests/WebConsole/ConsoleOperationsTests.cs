using EventSeries.Events;
using EventSeries.Grains.Gates;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventSeries.Tests.WebConsole;

/// <summary>
/// What an operator watches in the console: the gate table of the live view follows the feed's gate
/// events (a denial spike shows the gate jammed, closing a gate shows it closed, with no reload and
/// no polling), and the cluster page shows the operators' owners every silo with its log latency.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ConsoleOperationsTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task TheLiveViewsGateTable_ShowsAGateJammedThenClosed_FromTheFeed()
    {
        var tenant = await fixture.NewTenantAsync("Gate Watch Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(owner, fixture.Host.Clock.GetUtcNow());
        var page = await fixture.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, tenant.Token);
        await page.GotoAsync($"/series/{g.Series.Id}/live");
        var gates = page.GetByRole(AriaRole.Table, new() { Name = "Per gate" });
        var vip = gates.GetByRole(AriaRole.Row).Filter(new() { HasText = "VIP" });
        var main = gates.GetByRole(AriaRole.Row).Filter(new() { HasText = "Main" });
        await Expect(vip).ToContainTextAsync("open");
        await Expect(page.GetByTestId("feed-status")).ToHaveTextAsync("open", new() { Timeout = 10000 });
        var gatePolls = 0;
        page.Request += (_, request) => gatePolls += request.Url.Contains("/gates/", StringComparison.Ordinal) ? 1 : 0;

        // General wristbands at the VIP gate, again and again: all denied, so the gate looks jammed.
        for (var i = 0; i < GateActivity.SpikeMinimumScans; i++)
        {
            Assert.False((await g.ScanAsync(g.Wristbands[i % 3].NfcId, g.Vip)).Allowed);
        }

        await Expect(vip).ToContainTextAsync("jammed (denials_spike", new() { Timeout = 5000 });
        await ConsoleFixture.ScreenshotAsync(page, "console-gate-jammed");

        await owner.PutOkAsync<GateView>($"/api/events/{g.Event.Id}/gates/{g.Main.Id}", new { name = "Main", kind = "mixed", status = "closed" });
        await Expect(main).ToContainTextAsync("closed", new() { Timeout = 5000 });
        Assert.True(await page.EvaluateAsync<bool>("() => performance.getEntriesByType('navigation').length === 1"));
        Assert.Equal(0, gatePolls); // the feed carried it; the page asked for no gate's state again
    }

    [Fact]
    public async Task TheClusterPage_ShowsTheOperatorsOwnerEverySilo_AndExplainsItselfToAnyoneElse()
    {
        await using var system = await OperatorsHost.StartAsync(
            fixture.Postgres, new Dictionary<string, string?> { ["EventSeries:Console:Root"] = ConsoleFixture.BuiltConsole() });
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = system.Host.BaseAddress.ToString().TrimEnd('/') });
        var page = await context.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, system.Operators.Token);
        await page.GetByRole(AriaRole.Link, new() { Name = "Cluster" }).ClickAsync();

        await Expect(page.GetByTestId("cluster-summary")).ToContainTextAsync("1 active silo");
        var silos = page.GetByRole(AriaRole.Table, new() { Name = "Silos" });
        await Expect(silos).ToContainTextAsync("active");
        await Expect(silos.GetByRole(AriaRole.Row)).ToHaveCountAsync(2); // the header and the one silo
        await ConsoleFixture.ScreenshotAsync(page, "console-cluster");

        var other = await (await fixture.Browser.NewContextAsync(new() { BaseURL = system.Host.BaseAddress.ToString().TrimEnd('/') })).NewPageAsync();
        await ConsoleFixture.SignInAsync(other, system.Customer.Token);
        await other.GotoAsync("/cluster");
        await Expect(other.GetByTestId("cluster-summary")).ToContainTextAsync("organization that runs the system");
        await Expect(other.GetByRole(AriaRole.Table, new() { Name = "Silos" })).ToHaveCountAsync(0);
    }
}
