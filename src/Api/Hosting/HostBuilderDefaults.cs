using EventSeries.Persistence.Local;

namespace EventSeries.Api.Hosting;

/// <summary>What every EventSeries web host does first: configuration, default URL, quiet logs, the database.</summary>
public static class HostBuilderDefaults
{
    /// <summary>
    /// Creates the builder, applies <paramref name="overrides"/> (tests), listens on
    /// <paramref name="defaultUrl"/> unless told otherwise, and resolves and migrates the database.
    /// </summary>
    public static async Task<(WebApplicationBuilder Builder, DatabaseSetup Database)> CreateAsync(
        string[] args, IReadOnlyDictionary<string, string?>? overrides, string defaultUrl)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        // Per-request and per-placement chatter buries what matters; configuration can turn it back on.
        foreach (var category in new[] { "Orleans", "Polly", "Microsoft.AspNetCore" })
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }
        using var startupLogs = LoggerFactory.Create(logging => logging.AddConsole());
        var database = await DatabaseSetup.ResolveAsync(builder.Configuration, startupLogs.CreateLogger("EventSeries.Database"));
        return (builder, database);
    }
}
