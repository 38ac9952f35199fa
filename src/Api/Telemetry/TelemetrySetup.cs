using EventSeries.Persistence.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventSeries.Api.Telemetry;

/// <summary>
/// OpenTelemetry for every host: metrics (our <see cref="EventSeriesInstruments"/>, Orleans',
/// ASP.NET Core's, the runtime's, Npgsql's) for the Prometheus endpoint, and traces (ASP.NET Core,
/// Orleans grain calls, Npgsql commands) exported by OTLP when an endpoint is configured.
/// Nothing is collected that nobody reads: no scrape configured, no metric pipeline; no OTLP, no traces.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The OTLP endpoint from our section or the standard environment variable; null when traces are off.</summary>
    public static string? TraceEndpoint(IConfiguration configuration) =>
        configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)}"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];

    public static WebApplicationBuilder AddEventSeriesTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<MetricsScrapeGuard>();

        // Read once here, because what is registered depends on it; the same values are validated on start.
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var traceEndpoint = TraceEndpoint(builder.Configuration);
        if (!options.ServesMetrics && traceEndpoint is null)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("eventseries"));
        if (options.ServesMetrics)
        {
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(EventSeriesInstruments.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        }

        if (traceEndpoint is not null && Uri.TryCreate(traceEndpoint, UriKind.Absolute, out var endpoint))
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddAspNetCoreInstrumentation()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddNpgsql()
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint));
        }

        return builder;
    }

    /// <summary>
    /// <c>/metrics</c>, guarded by <see cref="MetricsScrapeGuard"/>, when a token or network is
    /// configured; before authentication, which would take the scrape token for a failed sign-in.
    /// </summary>
    public static WebApplication UseEventSeriesMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        if (options.ServesMetrics)
        {
            var guard = app.Services.GetRequiredService<MetricsScrapeGuard>();
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                meterProvider: null,
                predicate: http => http.Request.Path == MetricsPath,
                path: null,
                configureBranchedPipeline: branch => branch.Use(guard.InvokeAsync),
                optionsName: null);
        }

        return app;
    }
}
