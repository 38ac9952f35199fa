using EventSeries.Wristbands;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/events/{id}/wristbands: up to 10,000 wristbands, all or nothing.</summary>
public sealed class RegisterWristbandsRequest
{
    public List<WristbandRequest>? Wristbands { get; init; }

    public ImmutableArray<WristbandSpec> ToSpecs()
    {
        var errors = new RequestErrors();
        ImmutableArray<WristbandSpec> specs =
        [
            .. (errors.Object(Wristbands, "wristbands") ?? []).Select((w, i) => errors.Object(w, $"wristbands[{i}]") is { } wristband
                ? new WristbandSpec(Guid.CreateVersion7(), wristband.NfcId ?? "", wristband.Category ?? "", wristband.Status ?? WristbandStatus.Active)
                {
                    HolderName = wristband.HolderName,
                    HolderEmail = wristband.HolderEmail,
                }
                : null)
                .OfType<WristbandSpec>(),
        ];
        errors.ThrowIfAny();
        return specs;
    }
}

/// <summary>One wristband to register.</summary>
public sealed class WristbandRequest
{
    public string? NfcId { get; init; }

    public string? Category { get; init; }

    /// <summary>Active when left out.</summary>
    public WristbandStatus? Status { get; init; }

    /// <summary>Who wears it (from the ticketing system); personal data, hidden from viewers.</summary>
    public string? HolderName { get; init; }

    /// <summary>The holder's e-mail; personal data, hidden from viewers.</summary>
    public string? HolderEmail { get; init; }
}

/// <summary>Body of PUT /api/wristbands/{id}/status.</summary>
public sealed class WristbandStatusRequest
{
    public WristbandStatus? Status { get; init; }
}
