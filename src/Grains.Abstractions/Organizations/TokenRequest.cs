namespace EventSeries.Organizations;

/// <summary>What to issue a token for: a label and an optional expiry.</summary>
[GenerateSerializer, Immutable, Alias("es.organization.token-request")]
public sealed record class TokenRequest(
    [property: Id(0)] string? Name,
    [property: Id(1)] DateTimeOffset? ExpiresAt);
