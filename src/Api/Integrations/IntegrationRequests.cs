using EventSeries.Integrations;

namespace EventSeries.Api.Integrations;

/// <summary>A freshly made signing secret: the only time <see cref="Secret"/> is ever shown.</summary>
public sealed record IssuedIntegrationSecret(IntegrationSecretView Secret, string SigningSecret, string DeliveryUrl);

/// <summary>How many secrets a revocation cut off.</summary>
public sealed record RevokedIntegrationSecrets(IntegrationKind Kind, int Revoked);
