using EventSeries.Persistence.Local;
using EventSeries.Persistence.Stores;

namespace EventSeries.Silo;

/// <summary>The one-shot commands: <c>migrate</c> and <c>bootstrap</c>.</summary>
internal static class Commands
{
    public static async Task<int> MigrateAsync(string[] args)
    {
        await using var database = await ResolveDatabaseAsync(args);
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

        await using var database = await ResolveDatabaseAsync(args);
        var result = await Bootstrapper.BootstrapAsync(
            database.ConnectionString, organization, owner, options.GetValueOrDefault("email"), DomainTime.System);
        Console.WriteLine($"organization: {result.OrganizationId}");
        Console.WriteLine($"owner:        {result.UserId}");
        Console.WriteLine($"token:        {result.Secret}");
        Console.WriteLine("Keep it safe: it is shown only this once. Send it as 'Authorization: Bearer <token>'.");
        return 0;
    }

    private static async Task<DatabaseSetup> ResolveDatabaseAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        using var logs = LoggerFactory.Create(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));
        return await DatabaseSetup.ResolveAsync(configuration, logs.CreateLogger("EventSeries.Database"));
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
