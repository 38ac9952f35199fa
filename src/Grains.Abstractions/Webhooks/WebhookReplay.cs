namespace EventSeries.Webhooks;

/// <summary>
/// Where a replay starts: a delivery id, or a time (deliveries of events that happened at or after
/// it). Exactly one of the two.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.webhook.replay")]
public sealed record class WebhookReplay(
    [property: Id(0)] long? FromDeliveryId,
    [property: Id(1)] DateTimeOffset? FromTime);

/// <summary>How many deliveries a replay queued again.</summary>
[GenerateSerializer, Immutable, Alias("es.webhook.replayed")]
public sealed record class WebhookReplayed([property: Id(0)] int Requeued);
