namespace EventSeries.Wristbands;

/// <summary>A registered wristband.</summary>
[GenerateSerializer, Immutable, Alias("es.wristband.view")]
public sealed record class WristbandView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] Guid OrganizationId,
    [property: Id(3)] string NfcId,
    [property: Id(4)] string Category,
    [property: Id(5)] WristbandStatus Status,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
