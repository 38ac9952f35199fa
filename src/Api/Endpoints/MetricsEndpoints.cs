using EventSeries.Api.Auth;
using EventSeries.CheckIns;

namespace EventSeries.Api.Endpoints;

/// <summary>Live metrics of a series.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/series/{seriesId:guid}/metrics").WithTags("Metrics");
        group.MapGet("/", GetAsync).WithName("GetSeriesMetrics")
            .WithSummary("Live metrics (from the scan stream, under a second behind): totals, denials by reason, unique wristbands, occupancy, per gate, category and minute.");
        group.MapPost("/compute", ComputeAsync).WithName("ComputeSeriesMetrics").WithSummary("Recomputes the metrics from the check-in log in PostgreSQL.");
        return app;
    }

    public static async Task<Ok<SeriesMetrics>> GetAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesMetricsGrain>(seriesId).GetAsync(http.Caller()));

    public static async Task<Ok<SeriesMetrics>> ComputeAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesMetricsGrain>(seriesId).ComputeAsync(http.Caller()));
}
