using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventSeries.LocalDatabase;

/// <summary>
/// <c>EventSeries.LocalDatabase &lt;data-dir&gt; -- &lt;command&gt; [args]</c>, for development only:
/// starts the private PostgreSQL in &lt;data-dir&gt; (or uses it if another process already
/// runs it), runs the command with <c>ConnectionStrings__EventSeries</c> naming it (password
/// included), passes stop signals on to the command, and when the command exits stops the server
/// if it started it. Exits with the command's exit code.
/// </summary>
public static partial class Program
{
    /// <summary>The variable the hosts read their connection string from (configuration key <c>ConnectionStrings:EventSeries</c>).</summary>
    public const string ConnectionStringVariable = "ConnectionStrings__EventSeries";

    private const string Usage = "usage: EventSeries.LocalDatabase <data-dir> -- <command> [args...]";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3 || args[1] != "--")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        LocalPostgresOptions options;
        try
        {
            options = ReadOptions();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"EventSeries.LocalDatabase: {string.Join(" ", e.Failures)}");
            return 2;
        }

        using var logs = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var logger = logs.CreateLogger("EventSeries.LocalDatabase");
        using var stopping = new CancellationTokenSource();
        Process? child = null;
        using var signals = ChildCommand.HandleSignals(stopping, () => child);

        await using var server = LocalPostgres.Create(args[0], options.Port, logger);
        string connectionString;
        try
        {
            connectionString = await server.StartAsync(options.Database, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 130;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"EventSeries.LocalDatabase: {e.Message}");
            return 1;
        }

        NpgsqlConnection.ClearAllPools(); // the command is the server's user from here on
        Log.Serving(logger, server.DataDirectory, server.Port, server.StartedByUs ? "stopped when the command exits" : "left running: another process started it");
        // Not disposed: a late signal may still ask it whether it has exited.
        child = ChildCommand.Start(args[2..], new Dictionary<string, string> { [ConnectionStringVariable] = connectionString });
        await child.WaitForExitAsync(CancellationToken.None);
        return child.ExitCode;
    }

    private static LocalPostgresOptions ReadOptions()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<LocalPostgresOptions>().BindConfiguration(LocalPostgresOptions.Section).ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<LocalPostgresOptions>>().Value;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL in {Directory} on 127.0.0.1:{Port} ({Lifetime}).")]
        public static partial void Serving(ILogger logger, string directory, int port, string lifetime);
    }
}
