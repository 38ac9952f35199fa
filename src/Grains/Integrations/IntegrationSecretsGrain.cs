using EventSeries.Integrations;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Integrations;
using Orleans.Runtime;

namespace EventSeries.Grains.Integrations;

/// <summary>
/// One organization's webhook signing secrets. Holds nothing in memory: the rows are read by every
/// delivery anyway, and secret management is rare. It sees only ciphertext: the API encrypts.
/// </summary>
[GrainType("integration-secrets")]
public sealed class IntegrationSecretsGrain(IntegrationSecretStore store, DomainTime time) : Grain, IIntegrationSecretsGrain
{
    private Guid OrganizationId => this.GetPrimaryKey();

    public async Task<ImmutableArray<IntegrationSecretView>> ListAsync(Caller caller)
    {
        await AuthorizeAsync(caller);
        return await store.ListAsync(OrganizationId);
    }

    public async Task<IntegrationSecretView> CreateAsync(Caller caller, NewIntegrationSecret secret)
    {
        await AuthorizeAsync(caller);
        if (!Enum.IsDefined(secret.Kind))
        {
            throw DomainException.Invalid("kind", "Unknown integration.");
        }

        var now = time.Now();
        var graceUntil = now + IntegrationSecrets.RotationGrace;
        await store.InsertAsync(OrganizationId, secret, caller.DisplayName, now, graceUntil, AuditEntry.By(
            caller, OrganizationId, now, "integration.secret.create", "integration", secret.Kind.Name(), null,
            new { secretId = secret.Id, kind = secret.Kind.Name(), previousAcceptedUntil = graceUntil }));
        return new IntegrationSecretView(secret.Id, OrganizationId, secret.Kind, now, caller.DisplayName, null, null);
    }

    public async Task<int> RevokeAsync(Caller caller, IntegrationKind kind)
    {
        await AuthorizeAsync(caller);
        var now = time.Now();
        return await store.RevokeAsync(OrganizationId, kind, now, count => AuditEntry.By(
            caller, OrganizationId, now, "integration.secret.revoke", "integration", kind.Name(), null, new { kind = kind.Name(), revoked = count }));
    }

    private async Task AuthorizeAsync(Caller caller)
    {
        // A caller outside the organization gets 404 from Authorize; a deleted organization the same.
        caller.Authorize(OrganizationId, Permission.ManageIntegrations, "Organization");
        if (!await store.OrganizationExistsAsync(OrganizationId))
        {
            throw DomainException.NotFound("Organization");
        }
    }
}
