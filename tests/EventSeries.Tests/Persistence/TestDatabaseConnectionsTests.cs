using Npgsql;

namespace EventSeries.Tests.Persistence;

/// <summary>
/// The test run shares one PostgreSQL among dozens of hosts and clusters, each with its own
/// database and pools. A host that has stopped must not keep its idle connections for a minute:
/// on a slower machine those leftovers added up past max_connections and other tests failed with
/// "sorry, too many clients already".
/// </summary>
[Trait("Category", "Postgres")]
public sealed class TestDatabaseConnectionsTests(PostgresServer postgres)
{
    [Fact]
    public async Task AStoppedHost_LeavesNoConnectionsToItsDatabaseWithinSeconds()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var host = await ApiHost.StartAsync(connectionString))
        {
            var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
            using var client = host.Client(tenant.Token);
            await Scenario.CreateAsync(client);
            Assert.True(await postgres.ConnectionsToAsync(database) > 0, "the host used its database");
        }

        await Eventually.ValueAsync(() => postgres.ConnectionsToAsync(database), count => count == 0, TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task TheSharedServer_HasRoomForEveryHostOfAParallelRun()
    {
        Assert.True(await postgres.MaxConnectionsAsync() >= 1000);
    }
}
