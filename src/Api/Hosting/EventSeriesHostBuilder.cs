using EventSeries.Persistence;

namespace EventSeries.Api.Hosting;

/// <summary>
/// The one way an EventSeries web host is built, silo (src/Silo) or API-only client (src/Api):
/// configuration, default URL, quiet logs, the validated options every host reads, the API.
/// What differs (silo or cluster client) is <c>configure</c>.
/// </summary>
public static class EventSeriesHostBuilder
{
    /// <summary>
    /// Creates the builder, applies <paramref name="overrides"/> (tests), listens on
    /// <paramref name="defaultUrl"/> unless told otherwise, lets <paramref name="configure"/> add the
    /// Orleans side, then maps the API. Nothing is connected or checked before the host starts.
    /// </summary>
    public static WebApplication Build(
        string[] args, IReadOnlyDictionary<string, string?>? overrides, string defaultUrl, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // ASP.NET Core's own key (--urls, ASPNETCORE_URLS): only a default is added here.
        if (string.IsNullOrEmpty(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey)))
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        // Per-request and per-placement chatter buries what matters; Logging:LogLevel:<category> can turn it back on.
        foreach (var category in new[] { "Orleans", "Polly", "Microsoft.AspNetCore" })
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }

        builder.Services.AddEventSeriesDatabaseOptions();
        builder.Services.AddEventSeriesClusterIdentity();
        configure(builder);
        builder.AddEventSeriesApi();
        var app = builder.Build();
        app.MapEventSeriesApi();
        return app;
    }
}
