using EventSeries.Series;

namespace EventSeries.Persistence.Queries;

/// <summary>Filters for listing series: by event, lifecycle, and a time range the series overlaps.</summary>
public sealed record SeriesFilter(Guid? EventId, SeriesLifecycle? Lifecycle, DateTimeOffset? From, DateTimeOffset? To, Guid? ParentSeriesId);

/// <summary>A series in a list; <see cref="IsRecurring"/> marks a recurring parent (its instances have <see cref="ParentSeriesId"/>).</summary>
public sealed record SeriesSummary(
    Guid Id,
    Guid OrganizationId,
    Guid EventId,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset CheckInOpensAt,
    DateTimeOffset CheckInClosesAt,
    int? Capacity,
    SeriesLifecycle Lifecycle,
    Guid? ParentSeriesId,
    int? SequenceNumber,
    bool IsRecurring);

/// <summary>A wristband assigned to a series.</summary>
public sealed record AssignedWristband(Guid WristbandId, string NfcId, string Category, string Status, DateTimeOffset AssignedAt);
