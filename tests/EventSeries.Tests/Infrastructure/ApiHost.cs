using EventSeries.Grains.Lifecycle;
using EventSeries.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// The single-process system exactly as <c>./run.sh</c> starts it (silo + API, PostgreSQL
/// membership, storage and reminders), on real Kestrel at a free port. Stop and start it again
/// against the same database to prove state survives a restart.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private WebApplication? _app;

    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    private ApiHost(string connectionString, string clusterId, FakeTimeProvider clock, Action<IServiceCollection>? services, IReadOnlyDictionary<string, string?>? settings)
    {
        _services = services;
        _settings = settings;
        ConnectionString = connectionString;
        ClusterId = clusterId;
        Clock = clock;
    }

    /// <summary>The key the host encrypts webhook signing secrets with (32 fixed bytes: tests only).</summary>
    public const string TestSecretKey = "dGVzdC1vbmx5LWludGVncmF0aW9ucy1rZXktMzJieXQ=";

    /// <summary>The domain's clock in this host (Orleans keeps the real one): tests move it instead of waiting.</summary>
    public FakeTimeProvider Clock { get; }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running silo host (what <c>SiloHost.Build</c> made).</summary>
    public WebApplication App => _app ?? throw new InvalidOperationException("Not running.");

    /// <param name="services">Extra registrations (e.g. a log capture).</param>
    /// <param name="settings">Extra configuration (e.g. log levels).</param>
    public static async Task<ApiHost> StartAsync(
        string connectionString, string? clusterId = null, FakeTimeProvider? clock = null,
        Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new ApiHost(connectionString, clusterId ?? "test-" + Guid.NewGuid().ToString("N")[..8], clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow), services, settings);
        await host.StartAsync();
        return host;
    }

    /// <summary>Starts a (new) silo process-equivalent on fresh ports.</summary>
    public async Task StartAsync()
    {
        var overrides = new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventSeries"] = ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = "eventseries-tests",
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["EventSeries:Integrations:SecretKey"] = TestSecretKey,
            // The tests' webhook receivers listen on loopback; WebhookSsrfTests turns this off again.
            ["EventSeries:Webhooks:AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in _settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        _app = SiloHost.Build([], overrides, services =>
        {
            services.AddSingleton(new DomainTime(Clock));
            services.AddSingleton<Orleans.Runtime.IFatalErrorHandler, StopSiloOnFatalError>();
            _services?.Invoke(services);
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = new Uri(_app.Urls.First());
    }

    /// <summary>A graceful stop of the whole process.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Stops, then starts again against the same database.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>
    /// Moves the domain clock and waits for the lifecycle sweep that may be due, so no automatic
    /// transition lands behind the next assertion (or in the next test's database fingerprint).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await SweepAsync();
    }

    /// <summary>Runs one lifecycle sweep now and waits for it (and for one already running); returns how many series it asked.</summary>
    /// <summary>Waits until this silo sees <paramref name="count"/> active silos (placement spreads grains over them only then).</summary>
    public async Task WaitForActiveSilosAsync(int count)
    {
        var membership = App.Services.GetRequiredService<Orleans.Runtime.IClusterMembershipService>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
        {
            if (snapshot.Members.Values.Count(m => m.Status == Orleans.Runtime.SiloStatus.Active) >= count)
            {
                return;
            }
        }
    }

    public Task<int> SweepAsync() => App.Services.GetRequiredService<LifecycleSweeper>().SweepAsync(TestContext.Current.CancellationToken);

    /// <summary>An HTTP client for this host, authenticated with <paramref name="token"/> (or anonymous).</summary>
    public ApiClient Client(string? token = null) => new(new HttpClient { BaseAddress = BaseAddress }, token);

    public async ValueTask DisposeAsync() => await StopAsync();
}
