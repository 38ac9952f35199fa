namespace EventSeries.Webhooks;

/// <summary>Whether a subscription's deliveries are sent. Paused ones keep queueing, and resume where they stopped.</summary>
public enum WebhookSubscriptionStatus
{
    /// <summary>Deliveries are sent.</summary>
    Active = 0,

    /// <summary>Nothing is sent (repeated failure, or paused by a person); <c>pausedReason</c> says why.</summary>
    Paused = 1,
}
