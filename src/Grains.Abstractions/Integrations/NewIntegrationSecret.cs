namespace EventSeries.Integrations;

/// <summary>
/// A secret to store: its id and the encrypted form the API made of it (the grains never see the
/// secret nor the key that encrypts it), with the id of that key.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.integration.new-secret")]
public sealed record class NewIntegrationSecret(
    [property: Id(0)] Guid Id,
    [property: Id(1)] IntegrationKind Kind,
    [property: Id(2)] byte[] Ciphertext,
    [property: Id(3)] string KeyId);
