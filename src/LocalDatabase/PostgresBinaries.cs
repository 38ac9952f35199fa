using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventSeries.LocalDatabase;

/// <summary>
/// The installed PostgreSQL server binaries (the newest of Debian's /usr/lib/postgresql/*/bin, else
/// initdb on PATH) and the OS user they run as.
/// </summary>
internal sealed class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    // Where a root process keeps data the service user cannot reach in the requested folder: that user's home on Debian.
    private const string FallbackRoot = "/var/lib/postgresql/eventseries";

    /// <summary>The user Debian's package creates; a root process runs the server as this user.</summary>
    public const string ServiceUser = "postgres";

    private PostgresBinaries(string directory, string? runAs)
    {
        BinDirectory = directory;
        RunAs = runAs;
    }

    /// <summary>The folder holding initdb and pg_ctl.</summary>
    public string BinDirectory { get; }

    /// <summary>
    /// The user the tools run as, or null for the current user. initdb and postgres refuse to run as
    /// root (a server compromised through SQL would own the machine), so root hands them to
    /// <see cref="ServiceUser"/>.
    /// </summary>
    public string? RunAs { get; }

    public static PostgresBinaries Find()
    {
        var directory = FindDebian() ?? FindOnPath() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin or on PATH. " +
            "Run scripts/ensure-postgres.sh (it installs Debian's postgresql package), " +
            "or set ConnectionStrings__EventSeries to use an existing server.");
        var runAs = !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess ? ServiceUser : null;
        return new PostgresBinaries(directory, runAs);
    }

    public Task<ProcessRunner.Result> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(BinDirectory, tool), arguments, RunAs, cancellationToken);

    public Task<ProcessRunner.Result> RunCheckedAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Path.Combine(BinDirectory, tool), arguments, RunAs, cancellationToken);

    /// <summary>
    /// The data folder to use for <paramref name="requested"/>, created and (when the tools run as another
    /// user) given to that user. A root process falls back to a folder under the service user's home when
    /// that user cannot reach a new <paramref name="requested"/> folder, and explains when it cannot.
    /// </summary>
    public async Task<string> ResolveDataDirectoryAsync(string requested, CancellationToken cancellationToken)
    {
        if (await PrepareDirectoryAsync(requested, cancellationToken))
        {
            return requested;
        }

        var advice = $"Make its parent folders traversable for '{RunAs}' (chmod o+x), give the launcher a data folder " +
            "that user can reach, or set ConnectionStrings__EventSeries to use an existing server.";
        if (File.Exists(Path.Combine(requested, "PG_VERSION")))
        {
            throw new InvalidOperationException(
                $"This process runs as root, so PostgreSQL runs as '{RunAs}', who cannot reach the data folder {requested}. {advice}");
        }

        // Same requested folder, same fallback: data persists across runs.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..12];
        var fallback = Path.Combine(FallbackRoot, $"{Path.GetFileName(requested)}-{hash}");
        if (!await PrepareDirectoryAsync(fallback, cancellationToken))
        {
            throw new InvalidOperationException(
                $"This process runs as root, so PostgreSQL runs as '{RunAs}', who can reach neither {requested} nor the fallback {fallback}. {advice}");
        }

        return fallback;
    }

    /// <summary>Creates the folder, gives it to <see cref="RunAs"/> if set; returns whether that user can use it.</summary>
    private async Task<bool> PrepareDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        if (RunAs is null)
        {
            return true;
        }

        // chown -R only ever touches a new (empty) folder or a PostgreSQL data folder, never a mistyped path's contents.
        if (Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, "PG_VERSION")))
        {
            throw new InvalidOperationException($"{directory} is neither empty nor a PostgreSQL data folder; choose another data folder.");
        }

        // Recursive: a folder left by an earlier run as another user must become the server's again.
        await ProcessRunner.RunCheckedAsync("chown", ["-R", $"{RunAs}:", directory], null, cancellationToken);

        // Run as that user, this fails when any parent folder is not traversable for it.
        var probe = await ProcessRunner.RunAsync("test", ["-w", directory, "-a", "-x", directory], RunAs, cancellationToken);
        return probe.ExitCode == 0;
    }

    /// <summary>The port of the server running on <paramref name="dataDirectory"/>, or null when none is.</summary>
    public async Task<int?> RunningPortAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var status = await RunAsync("pg_ctl", ["status", "-D", dataDirectory], cancellationToken);
        if (status.ExitCode != 0)
        {
            return null; // 3: not running; 4: no data folder
        }

        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid"), cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null; // stopped in between
        }

        // postmaster.pid lines: pid, data folder, start time, port, socket folder, listen address, ...
        return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new InvalidOperationException($"A server runs on {dataDirectory} but its postmaster.pid names no port.");
    }

    /// <summary>
    /// Stops and deletes the data folders in <paramref name="parent"/> matching <paramref name="pattern"/> whose
    /// <paramref name="ownerFile"/> names a process that is gone: a killed test run leaves its servers running
    /// (pg_ctl detaches them) and their folders behind. Returns the folders removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveOrphansAsync(string parent, string pattern, string ownerFile, CancellationToken cancellationToken)
    {
        List<string> removed = [];
        foreach (var directory in Directory.GetDirectories(parent, pattern))
        {
            var owner = Path.Combine(directory, ownerFile);
            if (!File.Exists(owner) || !int.TryParse(await File.ReadAllTextAsync(owner, cancellationToken), out var pid) || ProcessRunner.IsAlive(pid))
            {
                continue; // still in use, or not (yet) marked with its owner
            }

            try
            {
                await RunAsync("pg_ctl", ["stop", "-D", directory, "-m", "immediate"], cancellationToken);
                Directory.Delete(directory, recursive: true);
                removed.Add(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run is removing it, or it belongs to another user: not ours to clean.
            }
        }

        return removed;
    }

    private static string? FindDebian()
    {
        if (!Directory.Exists(DebianRoot))
        {
            return null;
        }

        // Folders are versions ("15", "16", or "9.6" for old ones); the newest wins.
        return Directory.GetDirectories(DebianRoot)
            .Select(d => (Bin: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(c => HasTools(c.Bin))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Bin)
            .FirstOrDefault();
    }

    private static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasTools);

    private static bool HasTools(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));
}
