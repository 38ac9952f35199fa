using System.Diagnostics;

namespace EventSeries.LocalDatabase;

/// <summary>Runs a command to completion, capturing its output for error messages.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/>, as <paramref name="asUser"/> (via
    /// runuser) when given: initdb and the server refuse to run as root, so a root process hands them
    /// to an unprivileged user.
    /// </summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, string? asUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asUser is null ? file : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            foreach (var argument in new[] { "-u", asUser, "--", file })
            {
                start.ArgumentList.Add(argument);
            }

            // The inherited working directory (often /root) may be closed to that user; all paths are absolute.
            start.WorkingDirectory = "/";
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing inherited may point the tools at another cluster; messages stay in English for the log.
        foreach (var name in new[] { "PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE", "PGOPTIONS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["LC_ALL"] = "C";

        // pg_ctl start must be given -l: the server it leaves running would otherwise inherit these
        // pipes and the reads below would never end.
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, (await output) + (await error));
    }

    /// <summary>Runs and throws with the command's own output when it fails.</summary>
    public static async Task<Result> RunCheckedAsync(string file, IEnumerable<string> arguments, string? asUser, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var result = await RunAsync(file, list, asUser, cancellationToken);
        if (result.ExitCode != 0)
        {
            var who = asUser is null ? "" : $" (as user {asUser})";
            throw new InvalidOperationException(
                $"'{Path.GetFileName(file)} {string.Join(' ', list)}'{who} failed with exit code {result.ExitCode}:{Environment.NewLine}{result.Output}");
        }

        return result;
    }

    /// <summary>Whether a process with this id still runs.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Quotes <paramref name="value"/> as one /bin/sh word.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
