using Microsoft.Extensions.Options;

namespace EventSeries.Api.Hosting;

/// <summary>
/// Runs a host, or a one-shot command, so that a start refused for a known reason (an option
/// missing or invalid, a database without the schema) ends with one line naming it and exit code
/// <see cref="Refused"/>, not a stack trace.
/// </summary>
public static class HostRunner
{
    /// <summary>The exit code of a refused start.</summary>
    public const int Refused = 2;

    /// <summary>Builds, checks every validated option, then runs until shutdown.</summary>
    public static Task<int> RunAsync(Func<WebApplication> build, TextWriter error) => GuardAsync(async () =>
    {
        await using var app = build();

        // Checked here before anything starts (the host would check at start too, but log a trace first).
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.RunAsync();
        return 0;
    }, error);

    /// <summary>Runs <paramref name="run"/>; a refusal becomes one line on <paramref name="error"/> and <see cref="Refused"/>.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> run, TextWriter error)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (Refusal(e) is { } reason)
        {
            await error.WriteLineAsync($"EventSeries cannot start: {reason}");
            return Refused;
        }
    }

    /// <summary>The one-line reason of a refused start anywhere in <paramref name="e"/>, or null for anything else.</summary>
    public static string? Refusal(Exception e) => e switch
    {
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        StartRefusedException refused => refused.Message,
        AggregateException all => all.InnerExceptions.Select(Refusal).FirstOrDefault(r => r is not null),
        { InnerException: { } inner } => Refusal(inner),
        _ => null,
    };
}

/// <summary>A start refused for a reason its one-line message explains (what to do included).</summary>
public sealed class StartRefusedException(string message) : Exception(message);
