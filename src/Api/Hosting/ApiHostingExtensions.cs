using System.Text.Json;
using System.Text.Json.Serialization;
using EventSeries.Api.Auth;
using EventSeries.Api.Endpoints;
using EventSeries.Api.Errors;
using EventSeries.Api.Health;
using EventSeries.Persistence;
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
    /// <summary>Registers authentication, problem details, JSON rules, OpenAPI, health checks and the database.</summary>
    public static WebApplicationBuilder AddEventSeriesApi(this WebApplicationBuilder builder, string connectionString)
    {
        var services = builder.Services;
        services.AddEventSeriesPersistence(connectionString);
        services.TryAddSingleton(DomainTime.System);
        services.TryAddSingleton<SeriesDirectory>();
        services.TryAddSingleton<CallerCache>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();

        // Malformed bodies become exceptions so the one handler can explain them as problem details.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>The JSON rules of the API: camelCase, enums by name only, unknown fields refused.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    /// <summary>Maps middleware and every endpoint; everything under /api requires a bearer token.</summary>
    public static WebApplication MapEventSeriesApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapHealthEndpoints();

        var api = app.MapGroup("").RequireAuthorization();
        api.MapOrganizationEndpoints();
        api.MapEventEndpoints();
        api.MapGateEndpoints();
        api.MapWristbandEndpoints();
        api.MapSeriesEndpoints();
        api.MapRecurringSeriesEndpoints();
        api.MapSeriesAssignmentEndpoints();
        api.MapCheckInEndpoints();
        api.MapMetricsEndpoints();
        return app;
    }
}
