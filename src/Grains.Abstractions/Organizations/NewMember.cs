using EventSeries.Security;

namespace EventSeries.Organizations;

/// <summary>A person to add to an organization (a new user).</summary>
[GenerateSerializer, Immutable, Alias("es.organization.new-member")]
public sealed record class NewMember(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] string? Email,
    [property: Id(2)] Role Role);
