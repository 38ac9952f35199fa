using EventSeries.Api.Telemetry;
using EventSeries.Api.Imports;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventSeries.Api.Auth;
using EventSeries.Api.Endpoints;
using EventSeries.Api.Errors;
using EventSeries.Api.Exports;
using EventSeries.Api.Feed;
using EventSeries.Api.Health;
using EventSeries.Api.Integrations;
using EventSeries.Api.Scans;
using EventSeries.Persistence;
using EventSeries.Persistence.Notifications;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace EventSeries.Api.Hosting;

/// <summary>
/// The HTTP API as two calls, so the same endpoints run over a cluster client (src/Api) or inside
/// a silo process (src/Silo's single-process mode).
/// </summary>
public static class ApiHostingExtensions
{
    /// <summary>The largest request body accepted (413 beyond): room for a 10,000-wristband registration with holders.</summary>
    public const long MaxRequestBodyBytes = 8 * 1024 * 1024;

    /// <summary>Registers authentication, problem details, JSON rules, OpenAPI, health checks and the database (<see cref="DatabaseOptions"/>).</summary>
    public static WebApplicationBuilder AddEventSeriesApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;

            // "Server: Kestrel" only tells a scanner which exploits to try.
            kestrel.AddServerHeader = false;
        });
        var services = builder.Services;
        services.AddEventSeriesPersistence();
        services.TryAddSingleton(DomainTime.System);
        services.TryAddSingleton<CallerCache>();
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section);
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ExportSlots>();
        services.TryAddSingleton<ImportRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportRunner>());
        services.AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<CallerCache>());
        services.AddHostedService<ChangeFeed>();
        services.TryAddSingleton<AuthenticationThrottle>();
        services.AddEventSeriesForwardedHeaders();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        var operators = DashboardAccess.ConfiguredOrganization(builder.Configuration);
        services.AddAuthorization(o =>
        {
            AuthPolicies.Configure(o);
            if (operators is { } organization)
            {
                DashboardAccess.AddPolicy(o, organization);
            }
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddEventSeriesScans();
        services.AddEventSeriesIntegrations();
        builder.AddEventSeriesTelemetry();
        services.AddEventSeriesFeed();

        // Malformed bodies become exceptions so the one handler can explain them as problem details.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<ApiInfoTransformer>();
            o.AddDocumentTransformer<BearerSecurityTransformer>();
        });
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>The JSON rules of the API: camelCase, enums by name only, unknown fields refused, no NUL in text.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new NulFreeStringConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    /// <summary>
    /// Maps middleware and every endpoint. Everything under /api requires a person's bearer token,
    /// except the scanner endpoints, which a scanner device's token may call too.
    /// </summary>
    public static WebApplication MapEventSeriesApi(this WebApplication app)
    {
        // First: everything after it, the authentication throttle included, sees the real client address.
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNulCharacterGuard();
        app.UseEventSeriesConsole();
        app.UseEventSeriesMetricsEndpoint();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapHealthEndpoints();

        var api = app.MapGroup("").RequireAuthorization().WithProblemResponses();
        api.MapOrganizationEndpoints();
        api.MapEventEndpoints();
        api.MapGateEndpoints();
        api.MapWristbandEndpoints();
        api.MapTicketEndpoints();
        api.MapImportEndpoints();
        api.MapSeriesEndpoints();
        api.MapRecurringSeriesEndpoints();
        api.MapSeriesJobEndpoints();
        api.MapSeriesAssignmentEndpoints();
        api.MapCheckInEndpoints();
        api.MapMetricsEndpoints();
        api.MapExportEndpoints();
        api.MapFeedEndpoints();
        api.MapCapacityEndpoints();
        api.MapDeviceEndpoints();
        api.MapAuditEndpoints();
        api.MapClusterEndpoints();
        api.MapIntegrationEndpoints();
        api.MapWebhookSubscriptionEndpoints();

        var scanners = app.MapGroup("").RequireAuthorization(AuthPolicies.PersonOrScanner).WithProblemResponses();
        scanners.MapScannerEndpoints();

        // Signed deliveries: the signature, not a bearer token, authenticates them.
        app.MapWebhookEndpoints();

        // The browser console and scanner page (web/): its files and its client-side routes.
        app.MapEventSeriesConsole();
        return app;
    }
}
