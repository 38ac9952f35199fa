using EventSeries.Security;

namespace EventSeries.Webhooks;

/// <summary>
/// One organization's outgoing webhook subscriptions, keyed by its id: their single writer (the
/// senders only record attempts and pauses). Admins and owners only (<see cref="Permission.ManageWebhooks"/>);
/// another organization's subscription ids are 404. Every change is audited.
/// </summary>
[Alias("es.webhook-subscriptions")]
public interface IWebhookSubscriptionsGrain : IGrainWithGuidKey
{
    /// <summary>The organization's subscriptions, oldest first.</summary>
    [Alias("list"), ReadOnly]
    Task<ImmutableArray<WebhookSubscriptionView>> ListAsync(Caller caller);

    /// <summary>One subscription (404 when not of this organization).</summary>
    [Alias("get"), ReadOnly]
    Task<WebhookSubscriptionView> GetAsync(Caller caller, Guid subscriptionId);

    /// <summary>Checks the URL (scheme, and that it does not resolve to a refused address) and the types, then stores it active.</summary>
    [Alias("create")]
    Task<WebhookSubscriptionView> CreateAsync(Caller caller, NewWebhookSubscription subscription);

    /// <summary>Changes the URL, types, description or status (pause by hand, or resume).</summary>
    [Alias("update")]
    Task<WebhookSubscriptionView> UpdateAsync(Caller caller, Guid subscriptionId, WebhookSubscriptionChange change);

    /// <summary>Deletes it with its deliveries and attempts.</summary>
    [Alias("delete")]
    Task DeleteAsync(Caller caller, Guid subscriptionId);

    /// <summary>Replaces the signing secret (from the next attempt on; no grace period: the receiver is told by the caller).</summary>
    [Alias("rotate-secret")]
    Task<WebhookSubscriptionView> RotateSecretAsync(Caller caller, Guid subscriptionId, byte[] ciphertext, string keyId);

    /// <summary>Sets it active again and clears the failure count: delivery continues where it stopped.</summary>
    [Alias("resume")]
    Task<WebhookSubscriptionView> ResumeAsync(Caller caller, Guid subscriptionId);

    /// <summary>Queues the deliveries from a point again (delivered and failed ones too), in their original order.</summary>
    [Alias("replay")]
    Task<WebhookReplayed> ReplayAsync(Caller caller, Guid subscriptionId, WebhookReplay replay);

    /// <summary>A page of the subscription's deliveries, oldest first, after delivery id <paramref name="after"/>.</summary>
    [Alias("deliveries"), ReadOnly]
    Task<WebhookDeliveryPage> ListDeliveriesAsync(Caller caller, Guid subscriptionId, long after, int limit);

    /// <summary>A delivery's attempts, first first (404 when the delivery is not the subscription's).</summary>
    [Alias("attempts"), ReadOnly]
    Task<ImmutableArray<WebhookAttemptView>> ListAttemptsAsync(Caller caller, Guid subscriptionId, long deliveryId);
}
