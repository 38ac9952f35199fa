using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Events;
using EventSeries.Persistence.Queries;
using EventSeries.Wristbands;

namespace EventSeries.Api.Endpoints;

/// <summary>Wristbands: registered per event in bulk, then managed one by one.</summary>
public static class WristbandEndpoints
{
    public static IEndpointRouteBuilder MapWristbandEndpoints(this IEndpointRouteBuilder app)
    {
        var perEvent = app.MapGroup("/api/events/{eventId:guid}/wristbands").WithTags("Wristbands");
        perEvent.MapGet("/", ListAsync).WithName("ListWristbands").WithSummary("The event's wristbands by NFC UID, filtered by category and status, paged.");
        perEvent.MapPost("/", RegisterAsync).WithName("RegisterWristbands")
            .WithSummary("Registers up to 10,000 wristbands, all or nothing; NFC UIDs are unique per event.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var single = app.MapGroup("/api/wristbands").WithTags("Wristbands");
        single.MapGet("/{wristbandId:guid}", GetAsync).WithName("GetWristband").WithSummary("One wristband.");
        single.MapPut("/{wristbandId:guid}/status", SetStatusAsync).WithName("SetWristbandStatus")
            .WithSummary("Sets the status: active, inactive, lost, stolen or revoked.");
        return app;
    }

    public static async Task<Ok<Page<WristbandView>>> ListAsync(
        Guid eventId, string? category, string? status, int? page, int? pageSize, HttpContext http, ReadQueries queries) =>
        TypedResults.Ok(await queries.ListWristbandsAsync(
            http.Caller(), eventId, category, Paging.ParseEnum<WristbandStatus>(status, "status"), Paging.From(page, pageSize)));

    public static async Task<Created<ImmutableArray<WristbandView>>> RegisterAsync(Guid eventId, RegisterWristbandsRequest request, HttpContext http, IGrainFactory grains)
    {
        var registered = await grains.GetGrain<IEventGrain>(eventId).RegisterWristbandsAsync(http.Caller(), request.ToSpecs());
        return TypedResults.Created($"/api/events/{eventId}/wristbands", registered);
    }

    public static async Task<Ok<WristbandView>> GetAsync(Guid wristbandId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IWristbandGrain>(wristbandId).GetAsync(http.Caller()));

    public static async Task<Ok<WristbandView>> SetStatusAsync(Guid wristbandId, WristbandStatusRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IWristbandGrain>(wristbandId).SetStatusAsync(http.Caller(), Required.Value(request.Status, "status")));
}
