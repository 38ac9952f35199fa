using EventSeries.Series;

namespace EventSeries.Persistence.Jobs;

/// <summary>What a job carries: the parent's new schedule (apply) or the reason each child logs (cancel).</summary>
public sealed record SeriesJobPayload(SeriesSpec? Spec, string? Reason);

/// <summary>A job to write with its parent's change: who asked, and what to do.</summary>
public sealed record NewSeriesJob(
    Guid Id, Guid OrganizationId, Guid ParentSeriesId, SeriesJobKind Kind, SeriesJobPayload Payload, Guid? CreatedBy, string CreatedByName, DateTimeOffset At);

/// <summary>
/// A job as its parent works through it: the view, the children it covers (sequence numbers up to
/// <see cref="ThroughSequence"/>), how far it got (<see cref="CursorSequence"/>), and on whose behalf.
/// </summary>
public sealed record SeriesJob(SeriesJobView View, int ThroughSequence, int CursorSequence, Guid? CreatedBy, string CreatedByName, SeriesJobPayload Payload);

/// <summary>What one batch did, added to the job's counts.</summary>
public sealed record JobProgress(int CursorSequence, int Done, int Skipped, int Failed, string? LastError, bool Finished);
