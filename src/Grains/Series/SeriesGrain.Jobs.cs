using EventSeries.Domain.Series;
using EventSeries.Persistence.Jobs;
using EventSeries.Persistence.Recurrence;
using EventSeries.Series;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace EventSeries.Grains.Series;

/// <summary>
/// A recurring parent's background jobs. The job row was written with the parent's own change;
/// from then on a grain timer works through the children, <see cref="JobBatch"/> per tick, and
/// every tick is a turn of its own: between two ticks the parent answers its other calls, so 10,000
/// children never hold it (or a caller) for longer than one batch. Progress is stored after every
/// batch, so a restarted parent goes on from there; a batch that was in flight is asked again,
/// which children answer <see cref="ChildOutcome.AlreadyDone"/> without writing anything.
/// </summary>
public sealed partial class SeriesGrain
{
    /// <summary>Children dealt with in one turn of the parent.</summary>
    private const int JobBatch = 64;

    /// <summary>How many children a parent calls at once within a batch.</summary>
    private const int ChildCallBatch = 16;

    /// <summary>The most jobs a listing returns.</summary>
    private const int JobListLimit = 100;

    /// <summary>The pause between batches: none (the timer already waits for the previous tick).</summary>
    private static readonly TimeSpan JobTick = TimeSpan.FromMilliseconds(1);

    /// <summary>The pause after a batch could not run (the database is away, a silo is stopping).</summary>
    private static readonly TimeSpan JobRetry = TimeSpan.FromSeconds(2);

    private IGrainTimer? _jobTimer;

    /// <summary>An apply job's occurrences, computed once per activation rather than once per batch.</summary>
    private (Guid JobId, ImmutableArray<DateTimeOffset> Starts)? _jobStarts;

    public async Task<SeriesJobView> GetJobAsync(Caller caller, Guid jobId)
    {
        Visible(caller, Permission.View);
        return await jobs.GetAsync(Id, jobId) ?? throw DomainException.NotFound("Job");
    }

    public async Task<ImmutableArray<SeriesJobView>> GetJobsAsync(Caller caller)
    {
        Visible(caller, Permission.View);
        return await jobs.ListAsync(Id, JobListLimit);
    }

    public Task ResumeJobsAsync()
    {
        // Activation already looked for running jobs; an active parent with none left stops by itself.
        if (_state is { Recurrence: not null })
        {
            StartWorkingOnJobs();
        }

        return Task.CompletedTask;
    }

    private NewSeriesJob NewJob(SeriesState state, Caller caller, SeriesJobKind kind, SeriesJobPayload payload) =>
        new(Guid.CreateVersion7(), state.Series.OrganizationId, Id, kind, payload, caller.UserId, caller.DisplayName, time.Now());

    private void StartWorkingOnJobs() =>
        _jobTimer ??= this.RegisterGrainTimer(WorkOnJobsAsync, new GrainTimerCreationOptions(TimeSpan.Zero, JobTick) { KeepAlive = true });

    private void StopWorkingOnJobs()
    {
        _jobTimer?.Dispose();
        _jobTimer = null;
        _jobStarts = null;
    }

    /// <summary>One tick: one batch of the oldest running job (jobs run in the order they were accepted).</summary>
    private async Task WorkOnJobsAsync(CancellationToken cancellationToken)
    {
        if (_state is not { Recurrence: { } rule })
        {
            StopWorkingOnJobs();
            return;
        }

        SeriesJob? job = null;
        try
        {
            job = await jobs.NextRunningAsync(Id);
            if (job is null)
            {
                StopWorkingOnJobs();
                return;
            }

            var progress = await RunBatchAsync(rule, job);
            await jobs.AdvanceAsync(job.View.Id, progress, time.Now());
            _jobTimer?.Change(JobTick, JobTick);
        }
        catch (Exception e)
        {
            // Nothing of this batch was counted: it is asked again after a pause (or after a restart).
            LogJobBatchFailed(logger, e, Id, job?.View.Id);
            _jobTimer?.Change(JobRetry, JobRetry);
            if (job is not null && !cancellationToken.IsCancellationRequested)
            {
                await TryRecordErrorAsync(job.View.Id, e.Message);
            }
        }
    }

    private async Task<JobProgress> RunBatchAsync(RecurrenceSpec rule, SeriesJob job)
    {
        var children = await jobs.ChildrenAfterAsync(Id, job.CursorSequence, job.ThroughSequence, JobBatch);
        var actor = new JobActor(job.CreatedBy, job.CreatedByName);
        var outcomes = new List<(ChildOutcome? Outcome, string? Error)>(children.Count);
        foreach (var round in children.Chunk(ChildCallBatch))
        {
            outcomes.AddRange(await Task.WhenAll(round.Select(child => AskChildAsync(rule, job, child, actor))));
        }

        var cursor = children.Count == 0 ? job.ThroughSequence : children[^1].SequenceNumber;
        return new JobProgress(
            cursor,
            Done: outcomes.Count,
            Skipped: outcomes.Count(o => o.Outcome == ChildOutcome.LeftAlone),
            Failed: outcomes.Count(o => o.Error is not null),
            LastError: outcomes.LastOrDefault(o => o.Error is not null).Error,
            Finished: children.Count < JobBatch || cursor >= job.ThroughSequence);
    }

    /// <summary>
    /// Asks one child; only children that have not started are called (the others are left alone
    /// without an activation). A refusal by the child is counted as failed; any other error fails
    /// the whole batch, which is then asked again.
    /// </summary>
    private async Task<(ChildOutcome? Outcome, string? Error)> AskChildAsync(RecurrenceSpec rule, SeriesJob job, ChildRow child, JobActor actor)
    {
        if (child.Lifecycle is not (SeriesLifecycle.Draft or SeriesLifecycle.Scheduled))
        {
            var done = job.View.Kind == SeriesJobKind.CancelChildren && child.Lifecycle == SeriesLifecycle.Cancelled;
            return (done ? ChildOutcome.AlreadyDone : ChildOutcome.LeftAlone, null);
        }

        var grain = GrainFactory.GetGrain<ISeriesChildGrain>(child.Id);
        try
        {
            if (job.View.Kind == SeriesJobKind.CancelChildren)
            {
                return (await grain.CancelWithParentAsync(Id, job.Payload.Reason ?? "Cancelled with its recurring series.", actor), null);
            }

            // Each child moves to its own occurrence of the rule, anchored at the parent's new start.
            var spec = job.Payload.Spec ?? throw new InvalidOperationException($"Job {job.View.Id} carries no schedule.");
            var starts = OccurrencesOf(rule, job, spec);
            if (child.SequenceNumber > starts.Length)
            {
                return (ChildOutcome.LeftAlone, null);
            }

            var start = starts[child.SequenceNumber - 1];
            return (await grain.ApplyParentSpecAsync(Id, spec with { StartsAt = start, EndsAt = start + (spec.EndsAt - spec.StartsAt) }, actor), null);
        }
        catch (DomainException e)
        {
            return (null, $"Series {child.Id}: {e.Message}");
        }
    }

    private ImmutableArray<DateTimeOffset> OccurrencesOf(RecurrenceSpec rule, SeriesJob job, SeriesSpec spec)
    {
        if (_jobStarts is not { } cached || cached.JobId != job.View.Id)
        {
            cached = (job.View.Id, RecurrenceRules.Occurrences(rule, spec.StartsAt, job.ThroughSequence, until: null));
            _jobStarts = cached;
        }

        return cached.Starts;
    }

    private async Task TryRecordErrorAsync(Guid jobId, string error)
    {
        try
        {
            await jobs.RecordErrorAsync(jobId, error, time.Now());
        }
        catch (Exception e)
        {
            LogJobBatchFailed(logger, e, Id, jobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of job {JobId} of recurring series {SeriesId} could not run; it is tried again.")]
    private static partial void LogJobBatchFailed(ILogger logger, Exception exception, Guid seriesId, Guid? jobId);
}
