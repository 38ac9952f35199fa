using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSeries.Persistence.Local;

/// <summary>
/// A private PostgreSQL server in a folder of its own, on its own loopback port: created with initdb
/// on first use, started with pg_ctl, reused when already running. Used by the run command when no
/// connection string is configured, and by tests (throwaway instances).
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDirectory;
    private readonly int _port;
    private readonly bool _ephemeral;
    private readonly ILogger? _logger;
    private string? _binaries;

    private LocalPostgres(string dataDirectory, int port, bool ephemeral, ILogger? logger)
    {
        _dataDirectory = dataDirectory;
        _port = port;
        _ephemeral = ephemeral;
        _logger = logger;
    }

    /// <summary>Whether this instance started the server (and so stops it on dispose).</summary>
    public bool StartedByUs { get; private set; }

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port => _port;

    /// <summary>A durable server: data survives stop and start.</summary>
    public static LocalPostgres Create(string dataDirectory, int port, ILogger? logger = null) =>
        new(Path.GetFullPath(dataDirectory), port, ephemeral: false, logger);

    /// <summary>A throwaway server for tests: temp folder, free port, no fsync; deleted on dispose.</summary>
    public static LocalPostgres CreateEphemeral(ILogger? logger = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "eventseries-pg-" + Guid.NewGuid().ToString("N")[..12]);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new LocalPostgres(directory, port, ephemeral: true, logger);
    }

    /// <summary>Initialises (once), starts (unless running) and creates the database; returns its connection string.</summary>
    public async Task<string> StartAsync(string databaseName, CancellationToken cancellationToken = default)
    {
        _binaries = PostgresBinaries.Find();
        var owner = OperatingSystem.IsLinux() && Environment.UserName == "root" ? "postgres" : null;
        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(owner, cancellationToken);
        }

        if (!await IsRunningAsync(owner, cancellationToken))
        {
            await StartServerAsync(owner, cancellationToken);
            StartedByUs = true;
        }

        var admin = ConnectionString("postgres");
        await WaitUntilAcceptingAsync(admin, cancellationToken);
        await CreateDatabaseAsync(admin, databaseName, cancellationToken);
        return ConnectionString(databaseName);
    }

    /// <summary>Stops the server if this instance started it (fast shutdown: running sessions end, data is safe).</summary>
    public async Task StopAsync()
    {
        if (!StartedByUs || _binaries is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await ProcessRunner.RunAsync(Path.Combine(_binaries, "pg_ctl"), ["stop", "-D", _dataDirectory, "-m", "fast", "-w"], Owner(), CancellationToken.None);
        StartedByUs = false;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ephemeral && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static string? Owner() => OperatingSystem.IsLinux() && Environment.UserName == "root" ? "postgres" : null;

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = database,
        MaxPoolSize = 100,
    }.ConnectionString;

    private async Task InitializeAsync(string? owner, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);
        if (owner is not null)
        {
            // initdb runs as the postgres user, who must own the folder and reach it.
            await ProcessRunner.RunCheckedAsync("chown", ["-R", $"{owner}:{owner}", _dataDirectory], null, cancellationToken);
            var reach = await ProcessRunner.RunAsync("test", ["-w", _dataDirectory], owner, cancellationToken);
            if (reach.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The postgres user cannot write to {_dataDirectory} (a parent folder may not be traversable). " +
                    "Choose another folder with EventSeries:LocalPostgres:DataDirectory or set ConnectionStrings__EventSeries.");
            }
        }

        List<string> args = ["-D", _dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"];
        if (_ephemeral)
        {
            args.Add("--no-sync");
        }

        await ProcessRunner.RunCheckedAsync(Path.Combine(_binaries!, "initdb"), args, owner, cancellationToken);
        LocalPostgresLog.Initialized(_logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, _dataDirectory);
    }

    private async Task<bool> IsRunningAsync(string? owner, CancellationToken cancellationToken)
    {
        var status = await ProcessRunner.RunAsync(Path.Combine(_binaries!, "pg_ctl"), ["status", "-D", _dataDirectory], owner, cancellationToken);
        return status.ExitCode == 0;
    }

    private async Task StartServerAsync(string? owner, CancellationToken cancellationToken)
    {
        // The socket lives in the data folder: /var/run/postgresql may not exist or be writable.
        var options = $"-p {_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{_dataDirectory}' -c max_connections=300";
        if (_ephemeral)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        var log = Path.Combine(_dataDirectory, "postgres.log");
        var started = await ProcessRunner.RunAsync(
            Path.Combine(_binaries!, "pg_ctl"), ["start", "-D", _dataDirectory, "-w", "-t", "60", "-l", log, "-o", options], owner, cancellationToken);
        if (started.ExitCode != 0)
        {
            var tail = File.Exists(log) ? string.Join(Environment.NewLine, (await File.ReadAllLinesAsync(log, cancellationToken)).TakeLast(15)) : "";
            throw new InvalidOperationException(
                $"PostgreSQL in {_dataDirectory} did not start on port {_port} (is the port taken?):{Environment.NewLine}{started.Output}{tail}");
        }
    }

    private static async Task WaitUntilAcceptingAsync(string connectionString, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // pg_ctl -w returns once the server answers, but a reused server may still be recovering.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private static async Task CreateDatabaseAsync(string adminConnectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
