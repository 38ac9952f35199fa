using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventSeries.Persistence;

/// <summary>
/// Applies pending migrations when the host starts, before the services registered after it (a
/// silo's membership and storage need the tables). Only silos register it; API-only clients never
/// change the schema.
/// </summary>
public sealed class DatabaseMigrationService(IOptions<DatabaseOptions> options, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(options.Value.ConnectionString!, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
