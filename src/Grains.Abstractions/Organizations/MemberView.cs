using EventSeries.Security;

namespace EventSeries.Organizations;

/// <summary>A user's membership in an organization.</summary>
[GenerateSerializer, Immutable, Alias("es.organization.member")]
public sealed record class MemberView(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? Email,
    [property: Id(3)] Role Role,
    [property: Id(4)] DateTimeOffset JoinedAt);
