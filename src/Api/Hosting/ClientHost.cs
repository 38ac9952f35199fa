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
        var (builder, database) = await HostBuilderDefaults.CreateAsync(args, overrides, DefaultUrl);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => ClusterIdentity.Apply(o, builder.Configuration));
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = database.ConnectionString;
            });
        });
        try
        {
            builder.AddEventSeriesApi(database.ConnectionString);
            var app = builder.Build();
            app.MapEventSeriesApi();
            return new ClientHost(app, database);
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
