using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Queries;
using EventSeries.Series;

namespace EventSeries.Api.Endpoints;

/// <summary>Event series: listing, creation, editing, deletion and the lifecycle.</summary>
public static class SeriesEndpoints
{
    public static IEndpointRouteBuilder MapSeriesEndpoints(this IEndpointRouteBuilder app)
    {
        // Every write can meet the lifecycle (409) and a series or event that is not the caller's (404).
        var group = app.MapGroup("/api/series").WithTags("Series")
            .ProducesProblemOnWrites(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListSeries")
            .WithSummary("Series of the caller's organizations by start time; filter by eventId, lifecycle, from/to (overlap), parentSeriesId; paged.");
        group.MapPost("/", CreateAsync).WithName("CreateSeries").WithSummary("Creates a draft series, optionally with gates and category limits.");
        group.MapGet("/{seriesId:guid}", GetAsync).WithName("GetSeries").WithSummary("One series with its gates and categories.");
        group.MapPut("/{seriesId:guid}", UpdateAsync).WithName("UpdateSeries")
            .WithSummary("Changes the schedule, window and capacity; on a recurring parent, applyToChildren=true also starts a job (202, Location: the job) that moves every instance that has not started to its occurrence of the new schedule.");
        group.MapDelete("/{seriesId:guid}", DeleteAsync).WithName("DeleteSeries").WithSummary("Deletes a draft or cancelled series.");
        group.MapGet("/{seriesId:guid}/transitions", ListTransitionsAsync).WithName("ListSeriesTransitions")
            .WithSummary("Every lifecycle transition, oldest first.");
        group.MapPost("/{seriesId:guid}/transitions", TransitionAsync).WithName("TransitionSeries")
            .WithSummary("Moves the lifecycle (draft→scheduled→active→completed, or →cancelled); 409 for a move the state machine lacks. On a recurring parent, to=cancelled with cascade=true cancels it and starts a job (202, Location: the job) that cancels every instance that has not started.");
        return app;
    }

    public static async Task<Ok<Page<SeriesSummary>>> ListAsync(
        Guid? eventId, string? lifecycle, DateTimeOffset? from, DateTimeOffset? to, Guid? parentSeriesId, int? page, int? pageSize,
        HttpContext http, ReadQueries queries)
    {
        var filter = new SeriesFilter(eventId, Paging.ParseEnum<SeriesLifecycle>(lifecycle, "lifecycle"), from, to, parentSeriesId);
        return TypedResults.Ok(await queries.ListSeriesAsync(http.Caller(), filter, Paging.From(page, pageSize)));
    }

    public static async Task<Created<SeriesView>> CreateAsync(CreateSeriesRequest request, HttpContext http, IGrainFactory grains)
    {
        var id = Guid.CreateVersion7();
        var created = await grains.GetGrain<ISeriesGrain>(id).CreateAsync(http.Caller(), request.ToNewSeries());
        return TypedResults.Created($"/api/series/{id}", created);
    }

    public static async Task<Ok<SeriesView>> GetAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).GetAsync(http.Caller()));

    public static async Task<Results<Ok<SeriesView>, Accepted<SeriesJobView>>> UpdateAsync(
        Guid seriesId, SeriesSpecRequest request, bool? applyToChildren, HttpContext http, IGrainFactory grains)
    {
        var series = grains.GetGrain<ISeriesGrain>(seriesId);
        var spec = request.ToSpec();
        if (applyToChildren is true)
        {
            // The parent's change and its job are one write; the instances follow in the background.
            var job = await series.UpdateWithInstancesAsync(http.Caller(), spec);
            return TypedResults.Accepted(SeriesJobEndpoints.Location(job), job);
        }

        return TypedResults.Ok(await series.UpdateAsync(http.Caller(), spec));
    }

    public static async Task<NoContent> DeleteAsync(Guid seriesId, HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<ISeriesGrain>(seriesId).DeleteAsync(http.Caller());
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ImmutableArray<SeriesTransition>>> ListTransitionsAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).GetTransitionsAsync(http.Caller()));

    public static async Task<Results<Created<SeriesTransition>, Accepted<SeriesJobView>>> TransitionAsync(
        Guid seriesId, TransitionRequest request, HttpContext http, IGrainFactory grains)
    {
        var series = grains.GetGrain<ISeriesGrain>(seriesId);
        var to = Required.Value(request.To, "to");
        if (request.Cascade is not true)
        {
            return TypedResults.Created($"/api/series/{seriesId}/transitions", await series.TransitionAsync(http.Caller(), to, request.Reason));
        }

        if (to != SeriesLifecycle.Cancelled)
        {
            throw DomainException.Invalid("cascade", "Only a cancellation cascades to the instances of a recurring series.");
        }

        var job = await series.CancelWithInstancesAsync(http.Caller(), request.Reason);
        return TypedResults.Accepted(SeriesJobEndpoints.Location(job), job);
    }
}
