using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Secrets;
using EventSeries.Webhooks;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// Outgoing webhooks of an organization (admins and owners): subscriptions of a URL to event types,
/// with a signing secret made here and shown once (at creation and on rotation), and what was sent.
/// </summary>
public static class WebhookSubscriptionEndpoints
{
    public static IEndpointRouteBuilder MapWebhookSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}/webhooks").WithTags("Webhooks");
        group.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("The organization's webhook subscriptions (never their secrets).");
        group.MapPost("/", CreateAsync).WithName("CreateWebhook")
            .WithSummary("Subscribes a URL to event types; the answer shows the signing secret (whsec_…) once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{webhookId:guid}", GetAsync).WithName("GetWebhook").WithSummary("One subscription, with its status and why it is paused.");
        group.MapPatch("/{webhookId:guid}", UpdateAsync).WithName("UpdateWebhook")
            .WithSummary("Changes the URL, event types, description, or status (paused, active).");
        group.MapDelete("/{webhookId:guid}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Deletes the subscription with its deliveries.");
        group.MapPost("/{webhookId:guid}/rotate-secret", RotateSecretAsync).WithName("RotateWebhookSecret")
            .WithSummary("Replaces the signing secret from the next attempt on and shows the new one once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{webhookId:guid}/resume", ResumeAsync).WithName("ResumeWebhook")
            .WithSummary("Activates a paused subscription: delivery continues where it stopped.");
        group.MapPost("/{webhookId:guid}/replay", ReplayAsync).WithName("ReplayWebhook")
            .WithSummary("Queues the deliveries from a delivery id or a time again, in their order (same webhook-id).");
        group.MapGet("/{webhookId:guid}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries, oldest first: id (the webhook-id), event type, status, attempts. Page with after (a delivery id) and limit (1-500, 50).");
        group.MapGet("/{webhookId:guid}/deliveries/{deliveryId:long}/attempts", ListAttemptsAsync).WithName("ListWebhookAttempts")
            .WithSummary("A delivery's attempts: status code, time, duration, error.");
        return app;
    }

    public static async Task<Ok<ImmutableArray<WebhookSubscriptionView>>> ListAsync(Guid organizationId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, organizationId).ListAsync(http.Caller()));

    public static async Task<Created<IssuedWebhookSubscription>> CreateAsync(
        Guid organizationId, WebhookSubscriptionRequest request, HttpContext http, IGrainFactory grains, SecretProtector protector)
    {
        var id = Guid.CreateVersion7();
        var (ciphertext, text) = NewSecret(protector, organizationId, id);
        var view = await Subscriptions(grains, organizationId).CreateAsync(
            http.Caller(), new NewWebhookSubscription(id, request.Url, request.EventTypes ?? [], request.Description, ciphertext, protector.KeyId));
        return TypedResults.Created($"/api/organizations/{organizationId}/webhooks/{id}", new IssuedWebhookSubscription(view, text));
    }

    public static async Task<Ok<WebhookSubscriptionView>> GetAsync(Guid organizationId, Guid webhookId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, organizationId).GetAsync(http.Caller(), webhookId));

    public static async Task<Ok<WebhookSubscriptionView>> UpdateAsync(
        Guid organizationId, Guid webhookId, WebhookSubscriptionPatch patch, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, organizationId).UpdateAsync(http.Caller(), webhookId, patch.ToChange()));

    public static async Task<NoContent> DeleteAsync(Guid organizationId, Guid webhookId, HttpContext http, IGrainFactory grains)
    {
        await Subscriptions(grains, organizationId).DeleteAsync(http.Caller(), webhookId);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IssuedWebhookSubscription>> RotateSecretAsync(
        Guid organizationId, Guid webhookId, HttpContext http, IGrainFactory grains, SecretProtector protector)
    {
        var (ciphertext, text) = NewSecret(protector, organizationId, webhookId);
        var view = await Subscriptions(grains, organizationId).RotateSecretAsync(http.Caller(), webhookId, ciphertext, protector.KeyId);
        return TypedResults.Ok(new IssuedWebhookSubscription(view, text));
    }

    public static async Task<Ok<WebhookSubscriptionView>> ResumeAsync(Guid organizationId, Guid webhookId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, organizationId).ResumeAsync(http.Caller(), webhookId));

    public static async Task<Ok<WebhookReplayed>> ReplayAsync(
        Guid organizationId, Guid webhookId, WebhookReplayRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, organizationId).ReplayAsync(http.Caller(), webhookId, request.ToReplay()));

    public static async Task<Ok<WebhookDeliveryPage>> ListDeliveriesAsync(
        Guid organizationId, Guid webhookId, long? after, int? limit, HttpContext http, IGrainFactory grains)
    {
        var take = limit ?? Paging.DefaultPageSize;
        if (take is < 1 or > 500)
        {
            throw DomainException.Invalid("limit", "Must be between 1 and 500.");
        }

        if (after is < 0)
        {
            throw DomainException.Invalid("after", "Must be 0 or more.");
        }

        return TypedResults.Ok(await Subscriptions(grains, organizationId).ListDeliveriesAsync(http.Caller(), webhookId, after ?? 0, take));
    }

    public static async Task<Ok<ImmutableArray<WebhookAttemptView>>> ListAttemptsAsync(
        Guid organizationId, Guid webhookId, long deliveryId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, organizationId).ListAttemptsAsync(http.Caller(), webhookId, deliveryId));

    private static IWebhookSubscriptionsGrain Subscriptions(IGrainFactory grains, Guid organizationId) => grains.GetGrain<IWebhookSubscriptionsGrain>(organizationId);

    // Only this process sees the secret: the grain gets its encrypted form, bound to the organization and subscription.
    private static (byte[] Ciphertext, string Text) NewSecret(SecretProtector protector, Guid organizationId, Guid subscriptionId)
    {
        var (key, text) = WebhookSignature.NewSecret();
        return (protector.Encrypt(organizationId, SecretProtector.WebhookOutPurpose, subscriptionId, key), text);
    }
}
