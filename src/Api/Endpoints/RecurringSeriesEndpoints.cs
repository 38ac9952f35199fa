using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Series;

namespace EventSeries.Api.Endpoints;

/// <summary>Recurring series: a parent with an RRULE that generates its instances as child series.</summary>
public static class RecurringSeriesEndpoints
{
    public static IEndpointRouteBuilder MapRecurringSeriesEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/series/recurring").WithTags("Series")
            .ProducesProblemOnWrites(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/", CreateAsync).WithName("CreateRecurringSeries")
            .WithSummary("Creates a recurring parent from an RRULE (RFC 5545, in the event's time zone) and its first instances, with copies of its gates and category limits.");
        group.MapPost("/{parentId:guid}/instances", GenerateAsync).WithName("GenerateSeriesInstances")
            .WithSummary("Continues the sequence up to `instances` occurrences or `until`; occurrences already generated are skipped, so repeating it changes nothing.");
        return app;
    }

    public static async Task<Created<InstancesResult>> CreateAsync(CreateRecurringSeriesRequest request, HttpContext http, IGrainFactory grains)
    {
        var id = Guid.CreateVersion7();
        var created = await grains.GetGrain<ISeriesGrain>(id).CreateRecurringAsync(http.Caller(), request.ToNewRecurringSeries());
        return TypedResults.Created($"/api/series/{id}", created);
    }

    public static async Task<Ok<InstancesResult>> GenerateAsync(Guid parentId, InstancesRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(parentId).GenerateInstancesAsync(http.Caller(), request.ToRequest()));
}
