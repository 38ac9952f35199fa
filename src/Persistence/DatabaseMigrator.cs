using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSeries.Persistence;

/// <summary>
/// Applies the embedded SQL migrations (Orleans provider tables and the domain tables) with DbUp,
/// each script once, in name order, in its own transaction.
/// </summary>
public static class DatabaseMigrator
{
    // Any fixed number: it only has to be the same in every process that migrates this database.
    private const long MigrationLockKey = 0x4576_5365_7269_6573;

    /// <summary>Creates the database if missing and applies pending migrations.</summary>
    /// <remarks>
    /// Several silos may start at once against one database; a session-level advisory lock makes
    /// them migrate one after another instead of racing on the same CREATE TABLE.
    /// </remarks>
    /// <param name="connectionString">The database (created when missing).</param>
    /// <param name="logger">Where DbUp's progress goes.</param>
    /// <param name="cancellationToken">Cancels waiting for the migration lock.</param>
    /// <param name="include">Which scripts (by embedded name) to apply; all when null. Tests use it to
    /// stop before a migration and check what it does to existing rows.</param>
    public static async Task MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default, Func<string, bool>? include = null)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new UpgradeLog(logger));

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", MigrationLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var result = Upgrader(connectionString, logger, include).PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database migration failed in script '{result.ErrorScript?.Name}': {result.Error?.Message}", result.Error);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The migrations not yet applied to <paramref name="connectionString"/>'s database (all of them
    /// when it has no schema); reads only, never creates anything.
    /// </summary>
    public static IReadOnlyList<string> PendingScripts(string connectionString, ILogger logger) =>
        [.. Upgrader(connectionString, logger, include: null).GetScriptsToExecute().Select(s => s.Name)];

    private static DbUp.Engine.UpgradeEngine Upgrader(string connectionString, ILogger logger, Func<string, bool>? include) =>
        DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal) && (include is null || include(name)))
            .WithTransactionPerScript()
            .LogTo(new UpgradeLog(logger))
            .Build();

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);

        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);

        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);

        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);

        public void LogError(string format, params object[] args) => logger.LogError(format, args);

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
