namespace EventSeries.Organizations;

/// <summary>A freshly issued token: the only time its secret is ever visible.</summary>
[GenerateSerializer, Immutable, Alias("es.organization.issued-token")]
public sealed record class IssuedToken(
    [property: Id(0)] TokenView Token,
    [property: Id(1)] string Secret);
