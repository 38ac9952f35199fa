namespace EventSeries.Series;

/// <summary>A series as the API shows it. <see cref="Recurrence"/> is set on a recurring parent only.</summary>
[GenerateSerializer, Immutable, Alias("es.series.view")]
public sealed record class SeriesView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string Name,
    [property: Id(4)] string? Description,
    [property: Id(5)] DateTimeOffset StartsAt,
    [property: Id(6)] DateTimeOffset EndsAt,
    [property: Id(7)] CheckInWindow Window,
    [property: Id(8)] DateTimeOffset CheckInOpensAt,
    [property: Id(9)] DateTimeOffset CheckInClosesAt,
    [property: Id(10)] int? Capacity,
    [property: Id(11)] SeriesLifecycle Lifecycle,
    [property: Id(12)] ImmutableArray<Guid> GateIds,
    [property: Id(13)] ImmutableArray<CategoryLimitView> Categories,
    [property: Id(14)] int AssignedWristbands,
    [property: Id(15)] Guid? ParentSeriesId,
    [property: Id(16)] int? SequenceNumber,
    [property: Id(17)] int Version,
    [property: Id(18)] DateTimeOffset CreatedAt,
    [property: Id(19)] DateTimeOffset UpdatedAt,
    [property: Id(20)] ReentryPolicy Reentry,
    [property: Id(21)] RecurrenceSpec? Recurrence = null);
