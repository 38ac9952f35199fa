namespace EventSeries.Wristbands;

/// <summary>A wristband to register: its NFC UID (unique per event), category and status, and optionally who wears it.</summary>
[GenerateSerializer, Immutable, Alias("es.wristband.spec")]
public sealed record class WristbandSpec(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string NfcId,
    [property: Id(2)] string Category,
    [property: Id(3)] WristbandStatus Status)
{
    /// <summary>The holder's name (personal data: hidden from viewers).</summary>
    [Id(4)]
    public string? HolderName { get; init; }

    /// <summary>The holder's e-mail (personal data: hidden from viewers).</summary>
    [Id(5)]
    public string? HolderEmail { get; init; }
}
