using EventSeries.Series;

namespace EventSeries.Persistence.Stores;

/// <summary>An event_series row as Dapper reads it.</summary>
internal sealed class SeriesRow
{
    public const string Columns =
        """
        id, organization_id AS OrganizationId, event_id AS EventId, name, description, starts_at AS StartsAt, ends_at AS EndsAt,
        checkin_opens_minutes_before AS OpensMinutesBefore, checkin_closes_minutes_after AS ClosesMinutesAfter, capacity,
        lifecycle_status AS Lifecycle, parent_series_id AS ParentSeriesId, sequence_number AS SequenceNumber, version,
        created_by AS CreatedBy, created_at AS CreatedAt, updated_at AS UpdatedAt, reentry_policy AS Reentry,
        is_recurring AS IsRecurring, recurrence_pattern AS RecurrencePattern, recurrence_time_zone AS RecurrenceTimeZone,
        recurrence_generated_through AS GeneratedThrough
        """;

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid EventId { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public DateTime StartsAt { get; set; }

    public DateTime EndsAt { get; set; }

    public int OpensMinutesBefore { get; set; }

    public int? ClosesMinutesAfter { get; set; }

    public int? Capacity { get; set; }

    public string Lifecycle { get; set; } = "";

    public Guid? ParentSeriesId { get; set; }

    public int? SequenceNumber { get; set; }

    public int Version { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string Reentry { get; set; } = "reentry";

    public bool IsRecurring { get; set; }

    public string? RecurrencePattern { get; set; }

    public string? RecurrenceTimeZone { get; set; }

    public int GeneratedThrough { get; set; }

    public SeriesRecord ToRecord() => new(
        Id,
        OrganizationId,
        EventId,
        new SeriesSpec(Name, Description, DbText.Utc(StartsAt), DbText.Utc(EndsAt), new CheckInWindow(OpensMinutesBefore, ClosesMinutesAfter), Capacity,
            DbText.FromDb<ReentryPolicy>(Reentry)),
        DbText.FromDb<SeriesLifecycle>(Lifecycle),
        ParentSeriesId,
        SequenceNumber,
        Version,
        CreatedBy,
        DbText.Utc(CreatedAt),
        DbText.Utc(UpdatedAt),
        IsRecurring,
        RecurrencePattern,
        RecurrenceTimeZone,
        GeneratedThrough);
}

/// <summary>A series_state_transitions row as Dapper reads it.</summary>
internal sealed class TransitionRow
{
    public const string Select =
        "SELECT id, series_id AS SeriesId, from_status AS FromStatus, to_status AS ToStatus, at, actor_user_id AS ActorUserId, actor, reason FROM series_state_transitions";

    public long Id { get; set; }

    public Guid SeriesId { get; set; }

    public string? FromStatus { get; set; }

    public string ToStatus { get; set; } = "";

    public DateTime At { get; set; }

    public Guid? ActorUserId { get; set; }

    public string Actor { get; set; } = "";

    public string? Reason { get; set; }

    public SeriesTransition ToView() => new(
        Id,
        SeriesId,
        FromStatus is null ? null : DbText.FromDb<SeriesLifecycle>(FromStatus),
        DbText.FromDb<SeriesLifecycle>(ToStatus),
        DbText.Utc(At),
        ActorUserId,
        Actor,
        Reason);
}
