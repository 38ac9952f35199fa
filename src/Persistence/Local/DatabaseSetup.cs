using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EventSeries.Persistence.Local;

/// <summary>
/// Decides which PostgreSQL a process uses: the configured connection string
/// (<c>ConnectionStrings:EventSeries</c>, or env <c>ConnectionStrings__EventSeries</c>), or else a
/// private local server in <c>.data/postgres</c> that is created and started on demand.
/// </summary>
public sealed class DatabaseSetup : IAsyncDisposable
{
    /// <summary>The configuration key of the connection string.</summary>
    public const string ConnectionStringName = "EventSeries";

    /// <summary>The port of the private local server unless <c>EventSeries:LocalPostgres:Port</c> says otherwise.</summary>
    public const int DefaultLocalPort = 55432;

    private readonly LocalPostgres? _local;

    private DatabaseSetup(string connectionString, LocalPostgres? local)
    {
        ConnectionString = connectionString;
        _local = local;
    }

    /// <summary>The connection string every component of this process uses.</summary>
    public string ConnectionString { get; }

    /// <summary>Resolves (and if needed provisions and starts) the database, then applies migrations.</summary>
    public static async Task<DatabaseSetup> ResolveAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken = default)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        DatabaseSetup setup;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            setup = new DatabaseSetup(configured, null);
        }
        else
        {
            var directory = Path.GetFullPath(configuration["EventSeries:LocalPostgres:DataDirectory"] ?? Path.Combine(".data", "postgres"));
            var port = configuration.GetValue("EventSeries:LocalPostgres:Port", DefaultLocalPort);
            var local = LocalPostgres.Create(directory, port, logger);
            LogMessages.UsingLocalPostgres(logger, directory, port);
            var connectionString = await local.StartAsync("eventseries", cancellationToken);
            setup = new DatabaseSetup(connectionString, local);
        }

        await DatabaseMigrator.MigrateAsync(setup.ConnectionString, logger, cancellationToken);
        return setup;
    }

    /// <summary>Stops the private server if this process started it; data stays in its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }
}
