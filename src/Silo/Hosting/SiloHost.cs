using EventSeries.Api.Hosting;
using EventSeries.Persistence.Local;

namespace EventSeries.Silo.Hosting;

/// <summary>
/// The single-process host: a silo that also serves the HTTP API. Built here rather than inline in
/// Main so tests start (and restart) exactly what users run.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    /// <summary>Where the API listens unless --urls or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    private SiloHost(WebApplication app, DatabaseSetup database)
    {
        App = app;
        Database = database;
    }

    public WebApplication App { get; }

    public DatabaseSetup Database { get; }

    /// <summary>Provisions and migrates the database, then builds the silo with the API mapped.</summary>
    /// <param name="args">Command-line arguments (configuration).</param>
    /// <param name="overrides">Configuration that wins over everything else (tests).</param>
    /// <param name="services">Registrations made before the defaults, which only fill gaps (tests swap the clock).</param>
    public static async Task<SiloHost> BuildAsync(
        string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var (builder, database) = await HostBuilderDefaults.CreateAsync(args, overrides, DefaultUrl);
        try
        {
            services?.Invoke(builder.Services);
            builder.UseOrleans(silo => silo.AddEventSeries(builder.Configuration, database.ConnectionString));
            builder.AddEventSeriesApi(database.ConnectionString);
            var app = builder.Build();
            app.MapEventSeriesApi();
            return new SiloHost(app, database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
