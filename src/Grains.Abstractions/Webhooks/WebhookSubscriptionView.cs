namespace EventSeries.Webhooks;

/// <summary>A subscription as listed: never its secret.</summary>
[GenerateSerializer, Immutable, Alias("es.webhook.subscription")]
public sealed record class WebhookSubscriptionView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] string Url,
    [property: Id(3)] ImmutableArray<string> EventTypes,
    [property: Id(4)] string? Description,
    [property: Id(5)] WebhookSubscriptionStatus Status,
    [property: Id(6)] string? PausedReason,
    [property: Id(7)] DateTimeOffset? PausedAt,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] string CreatedBy,
    [property: Id(10)] DateTimeOffset UpdatedAt);
