using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSeries.LocalDatabase;

/// <summary>
/// A private PostgreSQL server in a folder of its own, on its own loopback port: created with initdb
/// on first use, started with pg_ctl, reused when already running. Used by the run command when no
/// connection string is configured (durable), and by tests (throwaway, see <see cref="CreateEphemeral"/>).
/// Connections must prove the superuser's password (SCRAM): a durable server keeps it owner-only in
/// <see cref="PasswordFile"/>, a throwaway one only in memory.
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable
{
    private const string EphemeralPrefix = "eventseries-pg-";
    private const string OwnerFile = "eventseries-owner.pid";

    // A Unix socket address holds 108 bytes on Linux (104 on macOS), the terminating NUL included.
    private const int MaxSocketPathBytes = 103;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _requestedDirectory;
    private readonly bool _ephemeral;
    private readonly ILogger _logger;
    private PostgresBinaries? _binaries;
    private string? _password;

    private LocalPostgres(string dataDirectory, int port, bool ephemeral, ILogger? logger)
    {
        _requestedDirectory = DataDirectory = dataDirectory;
        Port = port;
        _ephemeral = ephemeral;
        _logger = logger ?? NullLogger.Instance;
        if (ephemeral)
        {
            _password = LocalPostgresPassword.Generate();
        }
        else
        {
            // Beside the data folder, not in it: the folder belongs to the server's user, the password to this one.
            PasswordFile = dataDirectory + "-password";
        }
    }

    /// <summary>Where a durable server's password is kept (mode 0600), e.g. <c>.data/postgres-password</c>; null for a throwaway one.</summary>
    public string? PasswordFile { get; }

    /// <summary>The data folder; differs from the requested one only after a root process had to fall back.</summary>
    public string DataDirectory { get; private set; }

    /// <summary>The server's port on 127.0.0.1 (a reused server keeps the port it runs on).</summary>
    public int Port { get; private set; }

    /// <summary>Whether this instance started the server (and so stops it on dispose).</summary>
    public bool StartedByUs { get; private set; }

    /// <summary>A durable server: data survives stop and start.</summary>
    public static LocalPostgres Create(string dataDirectory, int port, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return new(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory)), port, ephemeral: false, logger);
    }

    /// <summary>A throwaway server for tests: temp folder, free port, no fsync; stopped and deleted on dispose.</summary>
    public static LocalPostgres CreateEphemeral(ILogger? logger = null) =>
        new(Path.Combine(Path.GetTempPath(), EphemeralPrefix + Guid.NewGuid().ToString("N")[..12]), FreePort(), ephemeral: true, logger);

    /// <summary>Initialises (once), starts (unless running), creates the database if missing; returns its connection string.</summary>
    public async Task<string> StartAsync(string databaseName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseName);
        if (Encoding.UTF8.GetByteCount(databaseName) > 63)
        {
            throw new ArgumentException("PostgreSQL names are at most 63 bytes long.", nameof(databaseName));
        }

        _binaries ??= PostgresBinaries.Find();
        _password ??= await LocalPostgresPassword.LoadOrCreateAsync(PasswordFile!, cancellationToken);
        if (_ephemeral)
        {
            foreach (var orphan in await _binaries.RemoveOrphansAsync(Path.GetTempPath(), EphemeralPrefix + "*", OwnerFile, cancellationToken))
            {
                Log.Reaped(_logger, orphan);
            }
        }

        DataDirectory = await _binaries.ResolveDataDirectoryAsync(_requestedDirectory, cancellationToken);
        if (DataDirectory != _requestedDirectory)
        {
            Log.FellBack(_logger, _requestedDirectory, DataDirectory, _binaries.RunAs!);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(_binaries, cancellationToken);
        }

        var runningPort = await _binaries.RunningPortAsync(DataDirectory, cancellationToken);
        if (runningPort is null)
        {
            await StartServerAsync(_binaries, cancellationToken);
            StartedByUs = true;
        }
        else if (!StartedByUs)
        {
            Log.Reusing(_logger, DataDirectory, runningPort.Value, Port);
            Port = runningPort.Value;
        }

        var admin = ConnectionString("postgres");
        await WaitUntilAcceptingAsync(admin, cancellationToken);
        if (await LocalPostgresPassword.EnforceAsync(admin, _password, cancellationToken))
        {
            LocalPostgresLog.PasswordEnforced(_logger, DataDirectory, PasswordFile ?? "memory");
        }

        await CreateDatabaseAsync(admin, databaseName, cancellationToken);
        return ConnectionString(databaseName);
    }

    /// <summary>Stops the server if this instance started it (fast shutdown: sessions end, committed data is safe).</summary>
    public async Task StopAsync()
    {
        if (!StartedByUs || _binaries is null)
        {
            return;
        }

        // Idle pooled connections to the stopped server would fail on their next use.
        NpgsqlConnection.ClearAllPools();
        var stop = await _binaries.RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], CancellationToken.None);
        if (stop.ExitCode != 0 && await _binaries.RunningPortAsync(DataDirectory, CancellationToken.None) is not null)
        {
            throw new InvalidOperationException($"PostgreSQL in {DataDirectory} did not stop:{Environment.NewLine}{stop.Output}");
        }

        StartedByUs = false;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ephemeral && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = _password,
        Database = database,
        Pooling = true,
        MaxPoolSize = 100,
        ConnectionIdleLifetime = 60,
        Timeout = 15,
    }.ConnectionString;

    private async Task InitializeAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        // C locale: no dependency on generated OS locales, and byte-order sorting that never changes under us.
        // initdb reads the password from a file; a temporary one, readable by the user initdb runs as.
        var passwordFile = Path.Combine(Path.GetTempPath(), $"eventseries-pwfile-{Guid.NewGuid():N}");
        await LocalPostgresPassword.WriteOwnerOnlyAsync(passwordFile, _password!, cancellationToken);
        try
        {
            if (binaries.RunAs is not null)
            {
                await ProcessRunner.RunCheckedAsync("chown", [binaries.RunAs, passwordFile], null, cancellationToken);
            }

            List<string> args = ["-D", DataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C"];
            if (_ephemeral)
            {
                args.Add("--no-sync");
            }

            await binaries.RunCheckedAsync("initdb", args, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
        if (_ephemeral)
        {
            await File.WriteAllTextAsync(Path.Combine(DataDirectory, OwnerFile), $"{Environment.ProcessId}", cancellationToken);
        }

        LocalPostgresLog.Initialized(_logger, DataDirectory);
    }

    private async Task StartServerAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        for (var attempt = 1; PortInUse(Port); attempt++)
        {
            if (!_ephemeral || attempt == 3)
            {
                throw new InvalidOperationException(
                    $"Port {Port} on 127.0.0.1 is in use by another process, so the private PostgreSQL in {DataDirectory} cannot start there. " +
                    "Stop that process or choose another port with EventSeries:LocalPostgres:Port (env EventSeries__LocalPostgres__Port).");
            }

            Port = FreePort(); // another test process took the port between choosing and starting
        }

        // The socket lives in the data folder (Debian's /var/run/postgresql may be missing or closed to us); a path
        // too long for a socket address means TCP only, which is all this class uses. pg_ctl runs -o through /bin/sh.
        var socketFits = Encoding.UTF8.GetByteCount(Path.Combine(DataDirectory, $".s.PGSQL.{Port}")) <= MaxSocketPathBytes;
        var socketDirectories = socketFits ? "\"" + DataDirectory.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : "";
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={ProcessRunner.ShellQuote(socketDirectories)}";
        if (_ephemeral)
        {
            // A test run's server: many hosts and clusters in parallel, each with its own pools.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000";
        }
        else
        {
            // Imports of a million rows: WAL buffered in memory, and no checkpoint forced mid-load (docs/operations.md).
            options += " -c max_connections=300 -c wal_buffers=64MB -c max_wal_size=4GB";
        }

        var log = Path.Combine(DataDirectory, "postgres.log");
        var start = await binaries.RunAsync("pg_ctl", ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", log, "-o", options], cancellationToken);
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL in {DataDirectory} did not start on port {Port}:{Environment.NewLine}{start.Output}{await LogTailAsync(log)}");
        }

        Log.Started(_logger, DataDirectory, Port);
    }

    private async Task WaitUntilAcceptingAsync(string connectionString, CancellationToken cancellationToken)
    {
        // pg_ctl -w waits for a server it starts; a reused one may still be starting or recovering.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL in {DataDirectory} refuses the password in {PasswordFile ?? "memory"}. If that file was replaced or deleted, " +
                    "restore it, or delete the data folder and the file to start over with an empty database.", e);
            }
            catch (NpgsqlException e) when (clock.Elapsed < ReadyTimeout)
            {
                Log.NotReady(_logger, e.Message);
                await Task.Delay(100, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL in {DataDirectory} did not accept connections on port {Port} within {ReadyTimeout.TotalSeconds:0} s: {e.Message}" +
                    await LogTailAsync(Path.Combine(DataDirectory, "postgres.log")), e);
            }
        }
    }

    private static async Task CreateDatabaseAsync(string adminConnectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            // Identifiers cannot be parameters: quote it, doubling embedded quotes.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently by another process: what we wanted.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool PortInUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task<string> LogTailAsync(string log) =>
        File.Exists(log) ? Environment.NewLine + string.Join(Environment.NewLine, (await File.ReadAllLinesAsync(log)).TakeLast(15)) : "";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Started PostgreSQL in {Directory} on 127.0.0.1:{Port}.")]
        public static partial void Started(ILogger logger, string directory, int port);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the PostgreSQL already running in {Directory} on port {Port} (configured: {ConfiguredPort}).")]
        public static partial void Reusing(ILogger logger, string directory, int port, int configuredPort);

        [LoggerMessage(Level = LogLevel.Warning, Message = "User {User} cannot reach {Requested} (a parent folder is not traversable); keeping PostgreSQL data in {Fallback} instead.")]
        public static partial void FellBack(ILogger logger, string requested, string fallback, string user);

        [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL not accepting connections yet: {Reason}")]
        public static partial void NotReady(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopped and deleted an orphaned test PostgreSQL in {Directory}.")]
        public static partial void Reaped(ILogger logger, string directory);
    }
}
