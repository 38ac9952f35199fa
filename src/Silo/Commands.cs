using EventSeries.Persistence;
using EventSeries.Persistence.Stores;
using Microsoft.Extensions.Options;

namespace EventSeries.Silo;

/// <summary>The one-shot commands: <c>migrate</c> and <c>bootstrap</c>.</summary>
internal static class Commands
{
    public static async Task<int> MigrateAsync(string[] args)
    {
        await MigratedDatabaseAsync(args);
        Console.WriteLine("Database is up to date.");
        return 0;
    }

    /// <summary>Creates the first organization and its owner, and prints the owner's token once.</summary>
    public static async Task<int> BootstrapAsync(string[] args)
    {
        var options = ParseOptions(args);
        if (!options.TryGetValue("organization", out var organization) || !options.TryGetValue("owner", out var owner))
        {
            await Console.Error.WriteLineAsync("usage: bootstrap --organization \"Acme Events\" --owner \"Alice\" [--email alice@example.com]");
            return 2;
        }

        // Migrates too: the README's first step, before any silo ever ran.
        var connectionString = await MigratedDatabaseAsync(args);
        var result = await Bootstrapper.BootstrapAsync(
            connectionString, organization, owner, options.GetValueOrDefault("email"), DomainTime.System);
        Console.WriteLine($"organization: {result.OrganizationId}");
        Console.WriteLine($"owner:        {result.UserId}");
        Console.WriteLine($"token:        {result.Secret}");
        Console.WriteLine("Keep it safe: it is shown only this once. Send it as 'Authorization: Bearer <token>'.");
        return 0;
    }

    /// <summary>The configured database (<see cref="DatabaseOptions"/>, validated), with every migration applied.</summary>
    private static async Task<string> MigratedDatabaseAsync(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new() { Args = args });
        builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEventSeriesDatabaseOptions();
        using var host = builder.Build();
        var connectionString = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;
        await DatabaseMigrator.MigrateAsync(connectionString, host.Services.GetRequiredService<ILogger<DatabaseOptions>>());
        return connectionString;
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[args[i][2..]] = args[i + 1];
            }
        }

        return options;
    }
}
