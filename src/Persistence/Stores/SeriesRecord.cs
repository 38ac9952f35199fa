using EventSeries.Series;

namespace EventSeries.Persistence.Stores;

/// <summary>
/// The event_series row of one series. A recurring parent carries its rule (RFC 5545 lines), the
/// rule's IANA zone and how far its sequence has been generated.
/// </summary>
public sealed record SeriesRecord(
    Guid Id,
    Guid OrganizationId,
    Guid EventId,
    SeriesSpec Spec,
    SeriesLifecycle Lifecycle,
    Guid? ParentSeriesId,
    int? SequenceNumber,
    int Version,
    Guid? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool IsRecurring = false,
    string? RecurrencePattern = null,
    string? RecurrenceTimeZone = null,
    int GeneratedThrough = 0);

/// <summary>Everything a series grain loads on activation.</summary>
public sealed record SeriesSnapshot(
    SeriesRecord Series,
    ImmutableArray<Guid> GateIds,
    ImmutableDictionary<string, int> Limits,
    ImmutableDictionary<string, int> AssignedByCategory,
    ImmutableArray<SeriesTransition> Transitions);

/// <summary>A wristband of the series' event, as resolved for an assignment.</summary>
public sealed record ResolvedWristband(Guid Id, string NfcId, string Category);

/// <summary>Who did something and why, for the transition log.</summary>
public sealed record TransitionActor(Guid? UserId, string Name, string? Reason);
