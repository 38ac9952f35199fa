namespace EventSeries.Devices;

/// <summary>A scanner device to register for an event; no gates means every gate of the event.</summary>
[GenerateSerializer, Immutable, Alias("es.scanner-device.new")]
public sealed record class NewScannerDevice(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<Guid> GateIds);
