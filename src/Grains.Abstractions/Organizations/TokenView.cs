namespace EventSeries.Organizations;

/// <summary>
/// A token's metadata. The secret itself is never stored and never shown again.
/// <see cref="OrganizationId"/> is the one organization a bound token works in; null for a
/// personal token, which carries every membership of its person.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.organization.token")]
public sealed record class TokenView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string? Name,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset? RevokedAt)
{
    /// <summary>The organization the token is bound to, or null for a personal token.</summary>
    [Id(6)]
    public Guid? OrganizationId { get; init; }
}
