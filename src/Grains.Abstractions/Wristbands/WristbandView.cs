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
    [property: Id(7)] DateTimeOffset UpdatedAt)
{
    /// <summary>The holder's name; null when unknown or when the caller may not see personal data.</summary>
    [Id(8)]
    public string? HolderName { get; init; }

    /// <summary>The holder's e-mail; null when unknown or when the caller may not see personal data.</summary>
    [Id(9)]
    public string? HolderEmail { get; init; }

    /// <summary>This wristband as <paramref name="caller"/> may see it: without personal data for viewers.</summary>
    public WristbandView For(EventSeries.Security.Caller caller) =>
        caller.RoleIn(OrganizationId) is { } role && EventSeries.Security.RolePolicy.Allows(role, EventSeries.Security.Permission.ViewPersonalData)
            ? this
            : this with { HolderName = null, HolderEmail = null };
}
