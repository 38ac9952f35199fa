using EventSeries.Security;

namespace EventSeries.Integrations;

/// <summary>
/// The webhook signing secrets of one organization, keyed by its id: their single writer, so a
/// rotation and a revocation cannot interleave. Each change is audited.
/// </summary>
[Alias("es.integration-secrets")]
public interface IIntegrationSecretsGrain : IGrainWithGuidKey
{
    /// <summary>The organization's secrets (current, in their grace period, expired and revoked), newest first.</summary>
    [Alias("list"), ReadOnly]
    Task<ImmutableArray<IntegrationSecretView>> ListAsync(Caller caller);

    /// <summary>
    /// Stores a new secret for its kind. Secrets of that kind still current are not cut off: they
    /// stay accepted for <see cref="IntegrationSecrets.RotationGrace"/>, so senders can switch over.
    /// </summary>
    [Alias("create")]
    Task<IntegrationSecretView> CreateAsync(Caller caller, NewIntegrationSecret secret);

    /// <summary>Revokes every secret of the kind at once (those in their grace period too); returns how many.</summary>
    [Alias("revoke")]
    Task<int> RevokeAsync(Caller caller, IntegrationKind kind);
}
