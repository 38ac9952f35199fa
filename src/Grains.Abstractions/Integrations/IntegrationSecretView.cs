namespace EventSeries.Integrations;

/// <summary>
/// A signing secret as listed: never the secret itself. It is accepted while not revoked and not
/// past <see cref="ExpiresAt"/> (set when a rotation replaced it).
/// </summary>
[GenerateSerializer, Immutable, Alias("es.integration.secret")]
public sealed record class IntegrationSecretView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] IntegrationKind Kind,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string CreatedBy,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt);
