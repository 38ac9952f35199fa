using System.Diagnostics;

namespace EventSeries.Persistence.Local;

/// <summary>Runs a command to completion, capturing its output for error messages.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/>, as <paramref name="asUser"/>
    /// (via runuser) when given: PostgreSQL's tools refuse to run as root.
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
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The server inherits nothing from this environment that could redirect it elsewhere.
        start.Environment.Remove("PGDATA");
        start.Environment.Remove("PGPORT");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, (await output) + (await error));
    }

    /// <summary>Runs and throws with the command's own output when it fails.</summary>
    public static async Task<Result> RunCheckedAsync(string file, IEnumerable<string> arguments, string? asUser, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var result = await RunAsync(file, list, asUser, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Path.GetFileName(file)} {string.Join(' ', list)}' failed with exit code {result.ExitCode}:{Environment.NewLine}{result.Output}");
        }

        return result;
    }
}
