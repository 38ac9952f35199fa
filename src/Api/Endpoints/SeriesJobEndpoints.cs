using EventSeries.Api.Auth;
using EventSeries.Series;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// A recurring parent's background jobs (an edit applied to its instances, a cascade cancel): what a
/// client polls after a 202. Readable by whoever may read the series.
/// </summary>
public static class SeriesJobEndpoints
{
    public static IEndpointRouteBuilder MapSeriesJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/series/{seriesId:guid}/jobs").WithTags("Series");
        group.MapGet("/", ListAsync).WithName("ListSeriesJobs").WithSummary("The recurring parent's background jobs, newest first (at most 100).");
        group.MapGet("/{jobId:guid}", GetAsync).WithName("GetSeriesJob")
            .WithSummary("One background job: running, completed or failed, with total, done, skipped and failed instances.");
        return app;
    }

    /// <summary>Where a job can be polled.</summary>
    public static string Location(SeriesJobView job) => $"/api/series/{job.SeriesId}/jobs/{job.Id}";

    public static async Task<Ok<ImmutableArray<SeriesJobView>>> ListAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).GetJobsAsync(http.Caller()));

    public static async Task<Ok<SeriesJobView>> GetAsync(Guid seriesId, Guid jobId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).GetJobAsync(http.Caller(), jobId));
}
