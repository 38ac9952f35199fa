using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Devices;
using EventSeries.Events;
using EventSeries.Persistence.Stores;

namespace EventSeries.Api.Endpoints;

/// <summary>Scanner devices: registered per event by admins, each with a token that may only scan.</summary>
public static class DeviceEndpoints
{
    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        var perEvent = app.MapGroup("/api/events/{eventId:guid}/devices").WithTags("Scanner devices");
        perEvent.MapGet("/", ListAsync).WithName("ListDevices").WithSummary("The event's scanner devices (never their tokens).");
        perEvent.MapPost("/", RegisterAsync).WithName("RegisterDevice")
            .WithSummary("Registers a scanner device for the event (optionally some gates); the token is in this response only.");
        var single = app.MapGroup("/api/devices").WithTags("Scanner devices");
        single.MapGet("/{deviceId:guid}", GetAsync).WithName("GetDevice").WithSummary("One scanner device.");
        single.MapDelete("/{deviceId:guid}", RevokeAsync).WithName("RevokeDevice")
            .WithSummary("Revokes a device: its token is refused within a second on every API instance.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ScannerDeviceView>>> ListAsync(Guid eventId, HttpContext http, IGrainFactory grains, ScannerDeviceStore devices)
    {
        // Reading the event through its grain checks the caller may see it (404 outside their organizations).
        await grains.GetGrain<IEventGrain>(eventId).GetAsync(http.Caller());
        return TypedResults.Ok(await devices.ListAsync(eventId));
    }

    public static async Task<Created<IssuedDevice>> RegisterAsync(Guid eventId, RegisterDeviceRequest request, HttpContext http, IGrainFactory grains)
    {
        var issued = await grains.GetGrain<IScannerDeviceGrain>(Guid.CreateVersion7()).RegisterAsync(http.Caller(), request.ToDevice(eventId));
        return TypedResults.Created($"/api/devices/{issued.Device.Id}", issued);
    }

    public static async Task<Ok<ScannerDeviceView>> GetAsync(Guid deviceId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IScannerDeviceGrain>(deviceId).GetAsync(http.Caller()));

    public static async Task<Ok<ScannerDeviceView>> RevokeAsync(Guid deviceId, HttpContext http, IGrainFactory grains, CallerCache callers)
    {
        var revoked = await grains.GetGrain<IScannerDeviceGrain>(deviceId).RevokeAsync(http.Caller());
        callers.EvictUser(deviceId);
        return TypedResults.Ok(revoked);
    }
}
