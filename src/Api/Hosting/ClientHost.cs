using EventSeries.Persistence;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Hosting;

/// <summary>
/// The API as its own process: the same endpoints over a cluster client that finds the silos'
/// gateways in the PostgreSQL membership table. It never changes the schema: silos (or
/// <c>migrate</c>) do, and it refuses to start on a database they have not migrated.
/// </summary>
public static class ClientHost
{
    /// <summary>Where the API listens unless --urls or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5100";

    /// <param name="args">Command-line arguments (configuration).</param>
    /// <param name="overrides">Configuration that wins over everything else (tests).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null) =>
        EventSeriesHostBuilder.Build(args, overrides, DefaultUrl, builder =>
        {
            // Before the cluster client: it reads the membership table.
            builder.Services.AddHostedService<MigratedDatabaseCheck>();
            builder.Services.AddEventSeriesClientTimeouts();
            builder.UseOrleansClient(client =>
            {
                client.UseAdoNetClustering(o => o.Configure<IOptions<DatabaseOptions>>((clustering, database) =>
                {
                    clustering.Invariant = DatabaseOptions.Invariant;
                    clustering.ConnectionString = database.Value.ConnectionString;
                }));
                if (Telemetry.TelemetrySetup.TraceEndpoint(builder.Configuration) is not null)
                {
                    client.AddActivityPropagation();
                }
            });
        });

    /// <summary>Refuses to start on a database that lacks migrations this build expects.</summary>
    private sealed class MigratedDatabaseCheck(IOptions<DatabaseOptions> options, ILogger<MigratedDatabaseCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var pending = DatabaseMigrator.PendingScripts(options.Value.ConnectionString!, logger);
            return pending.Count == 0
                ? Task.CompletedTask
                : throw new StartRefusedException(
                    $"the database lacks {pending.Count} migration(s) (first: {pending[0]}); the API does not migrate: start a silo (./run.sh) or run './run.sh migrate' first.");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
