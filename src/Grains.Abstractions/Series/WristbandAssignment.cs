namespace EventSeries.Series;

/// <summary>
/// Wristbands to assign to a series, by id or by NFC UID (either list may be empty). Assigning is
/// all or nothing, and assigning an already assigned wristband again changes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.assignment")]
public sealed record class WristbandAssignment(
    [property: Id(0)] ImmutableArray<Guid> WristbandIds,
    [property: Id(1)] ImmutableArray<string> NfcIds);
