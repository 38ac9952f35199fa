using EventSeries.Series;

namespace EventSeries.Grains.Series;

/// <summary>
/// What a recurring parent's job asks of its children, implemented by the same series grain. It
/// lives in the Grains project, not in Grains.Abstractions, so the API (which references only the
/// abstractions) cannot call it: a child changes this way only on its parent's behalf, for the
/// person the parent authorized when it accepted the job. Both calls are idempotent, so a job
/// resumed after a restart may ask a child again.
/// </summary>
[Alias("es.series.child")]
public interface ISeriesChildGrain : IGrainWithGuidKey
{
    /// <summary>Takes the schedule its parent computed for it, unless it already has it or has started or ended.</summary>
    [Alias("apply-parent-spec")]
    Task<ChildOutcome> ApplyParentSpecAsync(Guid parentId, SeriesSpec spec, JobActor actor);

    /// <summary>Cancels this child with its parent, unless it is cancelled already or has started or ended.</summary>
    [Alias("cancel-with-parent")]
    Task<ChildOutcome> CancelWithParentAsync(Guid parentId, string reason, JobActor actor);
}

/// <summary>What a child did when its parent asked.</summary>
[GenerateSerializer, Alias("es.series.child-outcome")]
public enum ChildOutcome
{
    /// <summary>It changed (and logged the change).</summary>
    Changed,

    /// <summary>It was already as asked (e.g. a job resumed after a restart asked again): nothing written.</summary>
    AlreadyDone,

    /// <summary>It has started or ended, or has no occurrence under the parent's new schedule: left alone.</summary>
    LeftAlone,
}

/// <summary>On whose behalf a parent's job changes a child: recorded in the child's audit entry and transition.</summary>
[GenerateSerializer, Immutable, Alias("es.series.job-actor")]
public sealed record class JobActor([property: Id(0)] Guid? UserId, [property: Id(1)] string Name);
