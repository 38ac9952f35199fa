namespace EventSeries.Wristbands;

/// <summary>A wristband to register: its NFC UID (unique per event), category and status.</summary>
[GenerateSerializer, Immutable, Alias("es.wristband.spec")]
public sealed record class WristbandSpec(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string NfcId,
    [property: Id(2)] string Category,
    [property: Id(3)] WristbandStatus Status);
