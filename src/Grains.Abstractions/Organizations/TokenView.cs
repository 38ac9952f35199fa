namespace EventSeries.Organizations;

/// <summary>A token's metadata. The secret itself is never stored and never shown again.</summary>
[GenerateSerializer, Immutable, Alias("es.organization.token")]
public sealed record class TokenView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string? Name,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset? RevokedAt);
