using EventSeries.Persistence;
using EventSeries.LocalDatabase;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// One real, throwaway PostgreSQL server for the whole test run (initdb into a temp folder, its own
/// port). Each fixture gets its own database, cloned from a migrated template, so tests never see
/// each other's rows and cloning costs milliseconds instead of a migration each.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string TemplateName = "eventseries_template";
    private LocalPostgres? _server;
    private string _adminConnectionString = "";

    public async ValueTask InitializeAsync()
    {
        _server = LocalPostgres.CreateEphemeral();
        _adminConnectionString = await _server.StartAsync("postgres");
        var template = WithDatabase(TemplateName, pooling: false);
        await DatabaseMigrator.MigrateAsync(template, NullLogger.Instance);
    }

    /// <summary>A fresh, fully migrated database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {TemplateName}", connection);
        await command.ExecuteNonQueryAsync();
        return WithDatabase(name, pooling: true);
    }

    /// <summary>A fresh, empty database (no migrations applied); returns its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = "e_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return WithDatabase(name, pooling: true);
    }

    /// <summary>How many sessions are connected to <paramref name="database"/> now.</summary>
    public async Task<long> ConnectionsToAsync(string database)
    {
        await using var connection = new NpgsqlConnection(WithDatabase("postgres", pooling: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<int> MaxConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(WithDatabase("postgres", pooling: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW max_connections", connection);
        return int.Parse((string)(await command.ExecuteScalarAsync())!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    // Idle connections close after 2 s, not Npgsql's default minute: dozens of hosts and clusters
    // come and go during a run, and their leftover pools add up against max_connections.
    private string WithDatabase(string database, bool pooling) =>
        new NpgsqlConnectionStringBuilder(_adminConnectionString)
        {
            Database = database,
            Pooling = pooling,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
}
