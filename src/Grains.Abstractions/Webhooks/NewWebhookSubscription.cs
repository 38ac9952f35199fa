namespace EventSeries.Webhooks;

/// <summary>
/// A subscription to store: the API made its secret and hands the grain only the encrypted form
/// (and the id of the key that encrypted it), as for incoming webhooks' secrets.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.webhook.new-subscription")]
public sealed record class NewWebhookSubscription(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string? Url,
    [property: Id(2)] ImmutableArray<string> EventTypes,
    [property: Id(3)] string? Description,
    [property: Id(4)] byte[] Ciphertext,
    [property: Id(5)] string KeyId);
