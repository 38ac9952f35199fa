using EventSeries.Devices;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/events/{eventId}/devices.</summary>
public sealed class RegisterDeviceRequest
{
    public string? Name { get; init; }

    /// <summary>The gates the device may scan at; empty or missing means every gate of the event.</summary>
    public ImmutableArray<Guid>? GateIds { get; init; }

    public NewScannerDevice ToDevice(Guid eventId) => new(eventId, Name ?? "", GateIds ?? []);
}
