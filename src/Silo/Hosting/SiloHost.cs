using EventSeries.Api.Auth;
using EventSeries.Api.Hosting;
using Orleans.Dashboard;
using EventSeries.Api.Telemetry;
using EventSeries.Persistence;

namespace EventSeries.Silo.Hosting;

/// <summary>
/// The single-process host: a silo that also serves the HTTP API. Built here rather than inline in
/// Main so tests start (and restart) exactly what users run.
/// </summary>
public static class SiloHost
{
    /// <summary>Where the API listens unless --urls or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Builds the silo with the API mapped; on start it migrates the database, then joins the cluster.</summary>
    /// <param name="args">Command-line arguments (configuration).</param>
    /// <param name="overrides">Configuration that wins over everything else (tests).</param>
    /// <param name="services">Registrations made before the defaults, which only fill gaps (tests swap the clock).</param>
    public static WebApplication Build(
        string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var dashboard = false;
        var app = EventSeriesHostBuilder.Build(args, overrides, DefaultUrl, builder =>
        {
            dashboard = DashboardAccess.ConfiguredOrganization(builder.Configuration) is not null;
            services?.Invoke(builder.Services);

            // Before the silo's own hosted service: membership and storage need the tables.
            builder.Services.AddHostedService<DatabaseMigrationService>();
            builder.UseOrleans(silo =>
            {
                silo.AddEventSeries();

                // Grain calls carry the trace only when traces are exported (docs/observability.md).
                if (TelemetrySetup.TraceEndpoint(builder.Configuration) is not null)
                {
                    silo.AddActivityPropagation();
                }

                // Only when operators are named: the dashboard profiles every grain call.
                if (dashboard)
                {
                    silo.AddDashboard(o => o.HideTrace = true);
                }
            });
        });

        if (dashboard)
        {
            app.MapOrleansDashboard(DashboardAccess.Path).RequireAuthorization(DashboardAccess.Policy);
        }

        return app;
    }
}
