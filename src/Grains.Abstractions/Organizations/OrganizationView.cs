using EventSeries.Security;

namespace EventSeries.Organizations;

/// <summary>An organization as its members see it, with the caller's own role in it.</summary>
[GenerateSerializer, Immutable, Alias("es.organization.view")]
public sealed record class OrganizationView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Role? YourRole,
    [property: Id(3)] DateTimeOffset CreatedAt);
