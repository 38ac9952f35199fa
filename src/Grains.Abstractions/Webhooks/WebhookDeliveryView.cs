namespace EventSeries.Webhooks;

/// <summary>
/// One delivery: <see cref="Id"/> is the <c>webhook-id</c> header receivers de-duplicate on.
/// <see cref="Status"/> is <c>pending</c>, <c>delivered</c> or <c>failed</c> (given up after the retry period).
/// </summary>
[GenerateSerializer, Immutable, Alias("es.webhook.delivery")]
public sealed record class WebhookDeliveryView(
    [property: Id(0)] long Id,
    [property: Id(1)] string EventType,
    [property: Id(2)] string Status,
    [property: Id(3)] int Attempts,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] DateTimeOffset? NextAttemptAt,
    [property: Id(6)] int? LastStatusCode,
    [property: Id(7)] string? LastError,
    [property: Id(8)] DateTimeOffset? FinishedAt);

/// <summary>A page of deliveries, oldest first; <see cref="NextAfter"/> is the <c>after</c> of the next page (null at the end).</summary>
[GenerateSerializer, Immutable, Alias("es.webhook.delivery-page")]
public sealed record class WebhookDeliveryPage(
    [property: Id(0)] ImmutableArray<WebhookDeliveryView> Items,
    [property: Id(1)] long? NextAfter);

/// <summary>One attempt to send a delivery: the answer's status code, or the error (timeout, refused address, connection).</summary>
[GenerateSerializer, Immutable, Alias("es.webhook.attempt")]
public sealed record class WebhookAttemptView(
    [property: Id(0)] int Attempt,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] int DurationMs,
    [property: Id(3)] int? StatusCode,
    [property: Id(4)] string? Error);
