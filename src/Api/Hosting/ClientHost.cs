using EventSeries.Persistence.Local;
using Orleans.Configuration;

namespace EventSeries.Api.Hosting;

/// <summary>
/// The API as its own process: the same endpoints over a cluster client that finds the silos'
/// gateways in the PostgreSQL membership table.
/// </summary>
public sealed class ClientHost : IAsyncDisposable
{
    /// <summary>Where the API listens unless --urls or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5100";

    private ClientHost(WebApplication app, DatabaseSetup database)
    {
        App = app;
        Database = database;
    }

    public WebApplication App { get; }

    public DatabaseSetup Database { get; }

    public static async Task<ClientHost> BuildAsync(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        using var startupLogs = LoggerFactory.Create(logging => logging.AddConsole());
        var database = await DatabaseSetup.ResolveAsync(builder.Configuration, startupLogs.CreateLogger("EventSeries.Database"));
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "eventseries";
                o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "eventseries";
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = database.ConnectionString;
            });
        });
        builder.AddEventSeriesApi(database.ConnectionString);
        var app = builder.Build();
        app.MapEventSeriesApi();
        return new ClientHost(app, database);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
