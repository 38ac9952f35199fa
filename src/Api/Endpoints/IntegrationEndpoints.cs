using EventSeries.Persistence.Secrets;
using EventSeries.Api.Auth;
using EventSeries.Api.Integrations;
using EventSeries.Integrations;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// Webhook signing secrets of an organization (admins and owners): one per integration kind, made
/// (or rotated) with POST, shown once, revoked with DELETE.
/// </summary>
public static class IntegrationEndpoints
{
    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}/integrations").WithTags("Integrations");
        group.MapGet("/secrets", ListAsync).WithName("ListIntegrationSecrets")
            .WithSummary("The organization's webhook signing secrets (never the secrets themselves), newest first.");
        group.MapPost("/{kind}/secrets", CreateAsync).WithName("CreateIntegrationSecret")
            .WithSummary("Makes a signing secret for payments, crm or tickets and shows it once; secrets it replaces stay accepted for 24 hours (rotation).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{kind}/secrets", RevokeAsync).WithName("RevokeIntegrationSecrets")
            .WithSummary("Revokes every signing secret of the integration at once, those in their grace period too.");
        return app;
    }

    public static async Task<Ok<ImmutableArray<IntegrationSecretView>>> ListAsync(Guid organizationId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IIntegrationSecretsGrain>(organizationId).ListAsync(http.Caller()));

    public static async Task<Created<IssuedIntegrationSecret>> CreateAsync(Guid organizationId, string kind, HttpContext http, IGrainFactory grains, SecretProtector protector)
    {
        var parsed = Kind(kind);
        var id = Guid.CreateVersion7();
        var (key, text) = WebhookSignature.NewSecret();

        // Only this process sees the secret: the grain gets its encrypted form.
        var ciphertext = protector.Encrypt(organizationId, parsed, id, key);
        var view = await grains.GetGrain<IIntegrationSecretsGrain>(organizationId).CreateAsync(http.Caller(), new NewIntegrationSecret(id, parsed, ciphertext, protector.KeyId));
        return TypedResults.Created(
            $"/api/organizations/{organizationId}/integrations/secrets", new IssuedIntegrationSecret(view, text, $"/api/integrations/{organizationId}/{parsed.Name()}"));
    }

    public static async Task<Ok<RevokedIntegrationSecrets>> RevokeAsync(Guid organizationId, string kind, HttpContext http, IGrainFactory grains)
    {
        var parsed = Kind(kind);
        return TypedResults.Ok(new RevokedIntegrationSecrets(parsed, await grains.GetGrain<IIntegrationSecretsGrain>(organizationId).RevokeAsync(http.Caller(), parsed)));
    }

    private static IntegrationKind Kind(string kind) =>
        Enum.GetValues<IntegrationKind>().FirstOrDefault(k => k.Name() == kind) is var parsed && parsed.Name() == kind
            ? parsed
            : throw DomainException.Invalid("kind", "Must be payments, crm or tickets.");
}
