using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Webhooks;
using EventSeries.Webhooks;
using Orleans.Runtime;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// One organization's outgoing webhook subscriptions. Holds nothing in memory (the senders change
/// the rows too: failure counts, pauses), checks every call against the organization, and audits
/// each change without the secret, which it only ever sees encrypted.
/// </summary>
[GrainType("webhook-subscriptions")]
public sealed class WebhookSubscriptionsGrain(WebhookSubscriptionStore store, WebhookTargets targets, DomainTime time) : Grain, IWebhookSubscriptionsGrain
{
    private Guid OrganizationId => this.GetPrimaryKey();

    public async Task<ImmutableArray<WebhookSubscriptionView>> ListAsync(Caller caller)
    {
        await AuthorizeAsync(caller);
        return await store.ListAsync(OrganizationId);
    }

    public async Task<WebhookSubscriptionView> GetAsync(Caller caller, Guid subscriptionId)
    {
        await AuthorizeAsync(caller);
        return await store.GetAsync(OrganizationId, subscriptionId);
    }

    public async Task<WebhookSubscriptionView> CreateAsync(Caller caller, NewWebhookSubscription subscription)
    {
        await AuthorizeAsync(caller);
        var types = CheckTypes(subscription.EventTypes) ?? throw DomainException.Invalid("eventTypes", "Name at least one event type.");
        CheckDescription(subscription.Description);
        var url = await targets.CheckAsync(subscription.Url);
        var now = time.Now();
        await store.InsertAsync(OrganizationId, subscription with { EventTypes = [.. types] }, url, caller.DisplayName, now, AuditEntry.By(
            caller, OrganizationId, now, "webhook.create", "webhook", subscription.Id, null, new { url, eventTypes = types }));
        return await store.GetAsync(OrganizationId, subscription.Id);
    }

    public async Task<WebhookSubscriptionView> UpdateAsync(Caller caller, Guid subscriptionId, WebhookSubscriptionChange change)
    {
        await AuthorizeAsync(caller);
        var types = change.EventTypes is { } given ? CheckTypes(given) ?? throw DomainException.Invalid("eventTypes", "Name at least one event type.") : null;
        CheckDescription(change.Description);
        if (change.Status is { } status && !Enum.IsDefined(status))
        {
            throw DomainException.Invalid("status", "Must be active or paused.");
        }

        var url = change.Url is null ? null : await targets.CheckAsync(change.Url);
        var now = time.Now();
        var after = await store.UpdateAsync(
            OrganizationId, subscriptionId, url, types, change.Description, change.Status, $"paused by {caller.DisplayName}", now,
            before => AuditEntry.By(caller, OrganizationId, now, "webhook.update", "webhook", subscriptionId,
                new { before.Url, before.EventTypes, before.Status }, new { url, eventTypes = types, change.Status }));
        await WakeIfActiveAsync(after);
        return after;
    }

    public async Task DeleteAsync(Caller caller, Guid subscriptionId)
    {
        await AuthorizeAsync(caller);
        await store.DeleteAsync(OrganizationId, subscriptionId, AuditEntry.By(caller, OrganizationId, time.Now(), "webhook.delete", "webhook", subscriptionId, null, null));
    }

    public async Task<WebhookSubscriptionView> RotateSecretAsync(Caller caller, Guid subscriptionId, byte[] ciphertext, string keyId)
    {
        await AuthorizeAsync(caller);
        var now = time.Now();
        return await store.RotateSecretAsync(OrganizationId, subscriptionId, ciphertext, keyId, now, AuditEntry.By(
            caller, OrganizationId, now, "webhook.secret.rotate", "webhook", subscriptionId, null, null));
    }

    public Task<WebhookSubscriptionView> ResumeAsync(Caller caller, Guid subscriptionId) =>
        UpdateAsync(caller, subscriptionId, new WebhookSubscriptionChange(null, null, null, WebhookSubscriptionStatus.Active));

    public async Task<WebhookReplayed> ReplayAsync(Caller caller, Guid subscriptionId, WebhookReplay replay)
    {
        await AuthorizeAsync(caller);
        if ((replay.FromDeliveryId is null) == (replay.FromTime is null))
        {
            throw DomainException.Invalid("from", "Give either a delivery id or a time.");
        }

        var requeued = await store.ReplayAsync(OrganizationId, subscriptionId, replay, AuditEntry.By(
            caller, OrganizationId, time.Now(), "webhook.replay", "webhook", subscriptionId, null, new { replay.FromDeliveryId, replay.FromTime }));
        await WakeIfActiveAsync(await store.GetAsync(OrganizationId, subscriptionId));
        return new WebhookReplayed(requeued);
    }

    public async Task<WebhookDeliveryPage> ListDeliveriesAsync(Caller caller, Guid subscriptionId, long after, int limit)
    {
        await AuthorizeAsync(caller);
        return await store.ListDeliveriesAsync(OrganizationId, subscriptionId, after, limit);
    }

    public async Task<ImmutableArray<WebhookAttemptView>> ListAttemptsAsync(Caller caller, Guid subscriptionId, long deliveryId)
    {
        await AuthorizeAsync(caller);
        return await store.ListAttemptsAsync(OrganizationId, subscriptionId, deliveryId);
    }

    private static string[]? CheckTypes(ImmutableArray<string> types)
    {
        if (types.IsDefaultOrEmpty)
        {
            return null;
        }

        var unknown = types.Where(t => !WebhookEventTypes.All.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            throw DomainException.Invalid("eventTypes", $"Unknown event type(s) {string.Join(", ", unknown)}; known: {string.Join(", ", WebhookEventTypes.All)}.");
        }

        return [.. types.Distinct()];
    }

    private static void CheckDescription(string? description)
    {
        if (description is { Length: > 500 })
        {
            throw DomainException.Invalid("description", "At most 500 characters.");
        }
    }

    // Resumed or replayed: send now instead of at the dispatcher's next poll.
    private Task WakeIfActiveAsync(WebhookSubscriptionView subscription) =>
        subscription.Status == WebhookSubscriptionStatus.Active ? GrainFactory.GetGrain<IWebhookSenderGrain>(subscription.Id).WakeAsync() : Task.CompletedTask;

    private async Task AuthorizeAsync(Caller caller)
    {
        // Outside the organization: 404 from Authorize; a deleted organization the same.
        caller.Authorize(OrganizationId, Permission.ManageWebhooks, "Organization");
        if (!await store.OrganizationExistsAsync(OrganizationId))
        {
            throw DomainException.NotFound("Organization");
        }
    }
}
