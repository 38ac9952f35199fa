namespace EventSeries.Devices;

/// <summary>A registered scanner device.</summary>
[GenerateSerializer, Immutable, Alias("es.scanner-device.view")]
public sealed record class ScannerDeviceView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string Name,
    [property: Id(4)] ImmutableArray<Guid> GateIds,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? RevokedAt);
