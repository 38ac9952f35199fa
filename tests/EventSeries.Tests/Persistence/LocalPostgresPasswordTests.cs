using EventSeries.LocalDatabase;
using Npgsql;

namespace EventSeries.Tests.Persistence;

/// <summary>
/// The private server of <c>./run.sh</c> asks for a password, kept owner-only beside its data
/// folder, so another local user cannot connect as its superuser; data folders from before are
/// upgraded on their next start.
/// </summary>
[Trait("Category", "Postgres")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalPostgresPasswordTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es-pgpw-" + Guid.NewGuid().ToString("N")[..12]);

    private string DataDirectory => Path.Combine(_root, "postgres");

    private string PasswordFile => Path.Combine(_root, "postgres-password");

    [Fact]
    public async Task TheDurableServer_RefusesConnectionsWithoutItsPassword_WhichIsKeptOwnerOnly()
    {
        await using var server = LocalPostgres.Create(DataDirectory, FreePorts.Next());
        var connectionString = await server.StartAsync("eventseries", TestContext.Current.CancellationToken);

        await AssertPasswordRequiredAsync(connectionString);
    }

    [Fact]
    public async Task ADataFolderThatTrustedEveryone_AsksForAPasswordAfterItsNextStart_AndKeepsItsData()
    {
        await using (var first = LocalPostgres.Create(DataDirectory, FreePorts.Next()))
        {
            await ExecuteAsync(await first.StartAsync("eventseries", TestContext.Current.CancellationToken), "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
        }

        // What initdb --auth=trust left before passwords, and no password file.
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n", TestContext.Current.CancellationToken);
        File.Delete(PasswordFile);

        await using var second = LocalPostgres.Create(DataDirectory, FreePorts.Next());
        var connectionString = await second.StartAsync("eventseries", TestContext.Current.CancellationToken);

        await AssertPasswordRequiredAsync(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var read = new NpgsqlCommand("SELECT id FROM kept", connection);
        Assert.Equal(7, await read.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private async Task AssertPasswordRequiredAsync(string connectionString)
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordFile));
        var password = (await File.ReadAllTextAsync(PasswordFile, TestContext.Current.CancellationToken)).Trim();
        Assert.True(Convert.FromHexString(password).Length >= 32);
        Assert.Equal(password, new NpgsqlConnectionStringBuilder(connectionString).Password);

        await ExecuteAsync(connectionString, "SELECT 1");
        var without = new NpgsqlConnectionStringBuilder(connectionString) { Password = null, Pooling = false };
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(without.ConnectionString, "SELECT 1"));
        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "not-the-password", Pooling = false };
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(wrong.ConnectionString, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
