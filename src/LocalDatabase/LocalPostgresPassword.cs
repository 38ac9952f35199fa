using System.Security.Cryptography;
using Npgsql;

namespace EventSeries.LocalDatabase;

/// <summary>
/// The superuser password of a private server. Without one, any local user (any process on the
/// machine) could connect to 127.0.0.1 as the superuser: servers made before passwords trusted
/// everyone, and are switched over on their next start.
/// </summary>
internal static class LocalPostgresPassword
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // What pg_hba.conf holds once passwords are in force: SCRAM on the socket and loopback TCP.
    private const string HbaConf =
        """
        # Written by EventSeries: every connection proves the password (kept owner-only beside the data folder).
        local all         all                scram-sha-256
        host  all         all  127.0.0.1/32  scram-sha-256
        host  all         all  ::1/128       scram-sha-256
        local replication all                scram-sha-256
        host  replication all  127.0.0.1/32  scram-sha-256
        host  replication all  ::1/128       scram-sha-256

        """;

    /// <summary>32 random bytes as hex: nothing a shell or a connection string would need quoted.</summary>
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The password in <paramref name="file"/>, created (owner-only, 0600) when missing.</summary>
    public static async Task<string> LoadOrCreateAsync(string file, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            // CreateNew: a process starting at the same time either wins or reads the winner's password.
            var password = Generate();
            await WriteOwnerOnlyAsync(file, password, cancellationToken);
            return password;
        }
        catch (IOException) when (File.Exists(file))
        {
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(file) != OwnerOnly)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }

            var password = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
            return password.Length > 0 ? password : throw new InvalidOperationException($"The PostgreSQL password file {file} is empty; delete it to have a new one set.");
        }
    }

    /// <summary>Writes <paramref name="password"/> to a new file that is owner-only (0600) from its creation on.</summary>
    public static async Task WriteOwnerOnlyAsync(string file, string password, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        await using var stream = new FileStream(file, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteLineAsync(password.AsMemory(), cancellationToken);
    }

    /// <summary>
    /// Makes a server that still trusts anyone (made before passwords) ask for <paramref name="password"/>:
    /// sets it, rewrites pg_hba.conf and reloads. Does nothing when every rule already asks for it.
    /// </summary>
    public static async Task<bool> EnforceAsync(string adminConnectionString, string password, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var check = new NpgsqlCommand("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method IS DISTINCT FROM 'scram-sha-256'", connection))
        {
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return false;
            }
        }

        // A password cannot be a parameter of ALTER ROLE; ours is hex, quoted anyway.
        var literal = "'" + password.Replace("'", "''", StringComparison.Ordinal) + "'";
        await using (var alter = new NpgsqlCommand($"SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres PASSWORD {literal}", connection))
        {
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var where = new NpgsqlCommand("SELECT current_setting('hba_file')", connection))
        {
            // Overwriting keeps the file's owner and mode (the server's user when this process is root).
            var hbaFile = (string)(await where.ExecuteScalarAsync(cancellationToken))!;
            await File.WriteAllTextAsync(hbaFile, HbaConf, cancellationToken);
        }

        var loadedBefore = await ConfigurationLoadedAsync(connection, cancellationToken);
        await using (var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection))
        {
            await reload.ExecuteScalarAsync(cancellationToken);
        }

        // The reload is a signal the server handles when it gets to it: wait until new sessions
        // (forked from a server that re-read its files) see it, so nothing after this trusts anyone.
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false };
        for (var waited = TimeSpan.Zero; ; waited += ReloadPoll)
        {
            await using var fresh = new NpgsqlConnection(builder.ConnectionString);
            await fresh.OpenAsync(cancellationToken);
            if (await ConfigurationLoadedAsync(fresh, cancellationToken) > loadedBefore)
            {
                return true;
            }

            if (waited > ReloadTimeout)
            {
                throw new InvalidOperationException("PostgreSQL did not reload pg_hba.conf after its password was set.");
            }

            await Task.Delay(ReloadPoll, cancellationToken);
        }
    }

    private static readonly TimeSpan ReloadPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(10);

    private static async Task<DateTime> ConfigurationLoadedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_conf_load_time()", connection);
        return ((DateTime)(await command.ExecuteScalarAsync(cancellationToken))!).ToUniversalTime();
    }
}
