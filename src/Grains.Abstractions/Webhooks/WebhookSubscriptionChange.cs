namespace EventSeries.Webhooks;

/// <summary>A PATCH: only the fields given change. <see cref="Status"/> pauses (by hand) or resumes.</summary>
[GenerateSerializer, Immutable, Alias("es.webhook.subscription-change")]
public sealed record class WebhookSubscriptionChange(
    [property: Id(0)] string? Url,
    [property: Id(1)] ImmutableArray<string>? EventTypes,
    [property: Id(2)] string? Description,
    [property: Id(3)] WebhookSubscriptionStatus? Status);
