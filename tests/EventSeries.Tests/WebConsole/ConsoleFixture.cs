using Microsoft.Playwright;

namespace EventSeries.Tests.WebConsole;

/// <summary>
/// The whole system (silo + API on real Kestrel and PostgreSQL, as <see cref="ApiFixture"/>) serving
/// the real built console from web/dist, and one headless Debian Chromium driven by Playwright,
/// shared by the console's browser tests. Each test opens its own browser context (its own
/// sessionStorage). The console must have been built (scripts/build-web.sh; ./test.sh does it).
/// </summary>
public sealed class ConsoleFixture(PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>Debian's Chromium (scripts/ensure-chromium.sh): Playwright's own browser download does not work here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ApiHost Host { get; private set; } = null!;

    /// <summary>The tests' PostgreSQL server, for a test that needs a host of its own.</summary>
    public PostgresServer Postgres => postgres;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Host.BaseAddress.ToString().TrimEnd('/');

    /// <summary>Where screenshots go: TestResults/screenshots under the run's --results-directory (./test.sh: ./TestResults), else beside the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public async ValueTask InitializeAsync()
    {
        var root = BuiltConsole();
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: run scripts/ensure-chromium.sh (./test.sh does).");
        }

        Host = await ApiHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            settings: new Dictionary<string, string?> { ["EventSeries:Console:Root"] = root });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,

            // As root in a sandbox without a GPU, on a closed network (Chromium's own background
            // connections would be refused, many at a time).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public Task<Tenant> NewTenantAsync(string name) => Tenant.BootstrapAsync(Host.ConnectionString, name);

    /// <summary>A fresh context (its own storage) and page; <paramref name="viewport"/> defaults to a laptop's.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>web/dist of this repository, with its index.html; fails the tests (never skips them) when the console is not built.</summary>
    public static string BuiltConsole()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventSeries.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"No EventSeries.sln above {AppContext.BaseDirectory}: cannot find web/dist.");
        }

        var root = Path.Combine(dir.FullName, "web", "dist");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            throw new InvalidOperationException(
                $"The console is not built ({root}/index.html is missing): run scripts/build-web.sh first (./test.sh does).");
        }

        return root;
    }

    /// <summary>Signs in on the console's sign-in form, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static string FindScreenshotDirectory()
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, "--results-directory");
        var results = at >= 0 && at + 1 < args.Length ? args[at + 1] : Path.Combine(AppContext.BaseDirectory, "TestResults");
        return Path.Combine(Path.GetFullPath(results), "screenshots");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
