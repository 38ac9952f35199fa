using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Events;
using EventSeries.Gates;

namespace EventSeries.Api.Endpoints;

/// <summary>Gates of an event.</summary>
public static class GateEndpoints
{
    public static IEndpointRouteBuilder MapGateEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/events/{eventId:guid}/gates").WithTags("Gates");
        group.MapGet("/", ListAsync).WithName("ListGates").WithSummary("The event's gates.");
        group.MapPost("/", CreateAsync).WithName("CreateGate").WithSummary("Adds a gate (name unique per event).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{gateId:guid}", UpdateAsync).WithName("UpdateGate").WithSummary("Changes a gate: name, kind, open/closed, allowed categories.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{gateId:guid}/live", LiveAsync).WithName("GetGateLive")
            .WithSummary("The gate right now: open or closed, scans and denials per minute (last 10), the last scan, who scanned there in the last minute, and whether it looks jammed (denials spiking, or scans stopped while its series is active).");
        return app;
    }

    public static async Task<Ok<GateLiveView>> LiveAsync(Guid eventId, Guid gateId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IGateGrain>(gateId).GetLiveAsync(http.Caller(), eventId));

    public static async Task<Ok<ImmutableArray<GateView>>> ListAsync(Guid eventId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IEventGrain>(eventId).GetGatesAsync(http.Caller()));

    public static async Task<Created<GateView>> CreateAsync(Guid eventId, GateRequest request, HttpContext http, IGrainFactory grains)
    {
        var gate = await grains.GetGrain<IEventGrain>(eventId).CreateGateAsync(http.Caller(), Guid.CreateVersion7(), request.ToSpec());
        return TypedResults.Created($"/api/events/{eventId}/gates/{gate.Id}", gate);
    }

    public static async Task<Ok<GateView>> UpdateAsync(Guid eventId, Guid gateId, GateRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IEventGrain>(eventId).UpdateGateAsync(http.Caller(), gateId, request.ToSpec()));
}
