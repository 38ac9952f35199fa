using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Events;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Endpoints;

/// <summary>Events and their wristband categories.</summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/events").WithTags("Events");
        group.MapGet("/", ListAsync).WithName("ListEvents").WithSummary("Events of the caller's organizations, newest first, paged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateEvent").WithSummary("Creates an event with its initial categories.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{eventId:guid}", GetAsync).WithName("GetEvent").WithSummary("One event.");
        group.MapPut("/{eventId:guid}", UpdateAsync).WithName("UpdateEvent").WithSummary("Changes an event's name, description or time zone.");
        group.MapDelete("/{eventId:guid}", DeleteAsync).WithName("DeleteEvent")
            .WithSummary("Deletes an event that has no scheduled, active or completed series.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{eventId:guid}/categories", ListCategoriesAsync).WithName("ListEventCategories").WithSummary("The event's wristband categories.");
        group.MapPost("/{eventId:guid}/categories", PutCategoryAsync).WithName("PutEventCategory").WithSummary("Adds a category or updates its description.");
        return app;
    }

    public static async Task<Ok<Page<EventView>>> ListAsync(Guid? organizationId, int? page, int? pageSize, HttpContext http, ReadQueries queries) =>
        TypedResults.Ok(await queries.ListEventsAsync(http.Caller(), organizationId, Paging.From(page, pageSize)));

    public static async Task<Created<EventView>> CreateAsync(CreateEventRequest request, HttpContext http, IGrainFactory grains)
    {
        var caller = http.Caller();
        var organizationId = request.OrganizationId ?? (caller.Memberships.Count == 1
            ? caller.Memberships.Keys.Single()
            : throw DomainException.Invalid("organizationId", "Required when you belong to several organizations."));
        var id = Guid.CreateVersion7();
        var categories = (request.Categories ?? []).Select(c => c?.ToView() ?? throw DomainException.Invalid("categories", "Null category.")).ToImmutableArray();
        var created = await grains.GetGrain<IEventGrain>(id).CreateAsync(caller, organizationId, request.ToSpec(), categories);
        return TypedResults.Created($"/api/events/{id}", created);
    }

    public static async Task<Ok<EventView>> GetAsync(Guid eventId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IEventGrain>(eventId).GetAsync(http.Caller()));

    public static async Task<Ok<EventView>> UpdateAsync(Guid eventId, UpdateEventRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IEventGrain>(eventId).UpdateAsync(http.Caller(), request.ToSpec()));

    public static async Task<NoContent> DeleteAsync(Guid eventId, HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<IEventGrain>(eventId).DeleteAsync(http.Caller());
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ImmutableArray<CategoryView>>> ListCategoriesAsync(Guid eventId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IEventGrain>(eventId).GetCategoriesAsync(http.Caller()));

    public static async Task<Ok<CategoryView>> PutCategoryAsync(Guid eventId, CategoryRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IEventGrain>(eventId).PutCategoryAsync(http.Caller(), request.ToView()));
}
