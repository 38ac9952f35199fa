using EventSeries.Events;
using EventSeries.Series;

namespace EventSeries.Domain.CheckIns;

/// <summary>
/// Everything a scan checks about an event, its gates and its series: an immutable snapshot each
/// silo caches and replaces when a change notification arrives.
/// </summary>
public sealed record EventRules(
    Guid EventId,
    Guid OrganizationId,
    TimeZoneInfo TimeZone,
    ImmutableDictionary<Guid, GateRules> Gates,
    ImmutableArray<SeriesRules> Series)
{
    /// <summary>
    /// The event's <c>wristbands_version</c>: raised by an import that changed wristbands, so each
    /// wristband's gate memory that read an older one reads its row again at its next scan.
    /// </summary>
    public long WristbandsVersion { get; init; }

    /// <summary>Series by id.</summary>
    public ImmutableDictionary<Guid, SeriesRules> SeriesById { get; } = Series.ToImmutableDictionary(s => s.Id);

    /// <summary>
    /// The active series, by start: the only ones a scan can enter, kept apart so a scan does not
    /// walk an event's thousands of scheduled or past (e.g. recurring) series.
    /// </summary>
    public ImmutableArray<SeriesRules> ActiveSeries { get; } = [.. Series.Where(s => s.Lifecycle == SeriesLifecycle.Active)];
}

/// <summary>A gate as scans see it; its kind decides which directions it lets through.</summary>
public sealed record GateRules(Guid Id, string Name, GateStatus Status, ImmutableHashSet<string> AllowedCategories, GateKind Kind);

/// <summary>A series as scans see it.</summary>
public sealed record SeriesRules(
    Guid Id,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    SeriesLifecycle Lifecycle,
    int? Capacity,
    ReentryPolicy Reentry,
    ImmutableHashSet<Guid> GateIds)
{
    /// <summary>Whether the check-in window contains <paramref name="now"/> (open at OpensAt, closed at ClosesAt).</summary>
    public bool InWindow(DateTimeOffset now) => now >= OpensAt && now < ClosesAt;
}
