using EventSeries.Security;

namespace EventSeries.Series;

/// <summary>
/// One event series, keyed by its id: holds its schedule, lifecycle, gates and category counts in
/// memory and is the single writer of its rows, so lifecycle and limit rules hold without races.
/// This is the contract the API uses; what only other grains and the silo's background services
/// may ask of a series (<c>ISeriesChildGrain</c>, <c>ISeriesLifecycleGrain</c>) lives in the Grains
/// project, which the API does not reference.
/// </summary>
[Alias("es.series")]
public interface ISeriesGrain : IGrainWithGuidKey
{
    /// <summary>Creates the series as a draft, with its initial gates and category limits.</summary>
    [Alias("create")]
    Task<SeriesView> CreateAsync(Caller caller, NewSeries series);

    /// <summary>The series.</summary>
    [Alias("get"), ReadOnly]
    Task<SeriesView> GetAsync(Caller caller);

    /// <summary>Changes name, description, dates, window or capacity (not once it has ended).</summary>
    [Alias("update")]
    Task<SeriesView> UpdateAsync(Caller caller, SeriesSpec spec);

    /// <summary>Deletes the series; only a draft or cancelled one.</summary>
    [Alias("delete")]
    Task DeleteAsync(Caller caller);

    /// <summary>Moves the lifecycle to <paramref name="to"/> if the state machine allows it, and logs it.</summary>
    [Alias("transition")]
    Task<SeriesTransition> TransitionAsync(Caller caller, SeriesLifecycle to, string? reason);

    /// <summary>Every transition, oldest first.</summary>
    [Alias("transitions"), ReadOnly]
    Task<ImmutableArray<SeriesTransition>> GetTransitionsAsync(Caller caller);

    /// <summary>Assigns gates of the series' event (already assigned ones are kept).</summary>
    [Alias("assign-gates")]
    Task<ImmutableArray<Guid>> AssignGatesAsync(Caller caller, ImmutableArray<Guid> gateIds);

    /// <summary>Removes a gate from the series.</summary>
    [Alias("remove-gate")]
    Task RemoveGateAsync(Caller caller, Guid gateId);

    /// <summary>Category limits and assigned counts.</summary>
    [Alias("categories"), ReadOnly]
    Task<ImmutableArray<CategoryLimitView>> GetCategoriesAsync(Caller caller);

    /// <summary>Sets limits for the given categories; a limit below the assigned count is refused.</summary>
    [Alias("set-limits")]
    Task<ImmutableArray<CategoryLimitView>> SetCategoryLimitsAsync(Caller caller, ImmutableArray<CategoryLimit> limits);

    /// <summary>Assigns wristbands of the series' event, all or nothing, within the category limits.</summary>
    [Alias("assign-wristbands")]
    Task<AssignmentResult> AssignWristbandsAsync(Caller caller, WristbandAssignment assignment);

    /// <summary>
    /// Assigns every matching wristband of the event in one statement (a million take seconds, so
    /// this call may take longer than others), all or nothing within the category limits.
    /// </summary>
    [Alias("assign-in-bulk"), ResponseTimeout("00:02:00")]
    Task<AssignmentResult> AssignInBulkAsync(Caller caller, BulkAssignment assignment);

    /// <summary>Removes one wristband from the series.</summary>
    [Alias("unassign-wristband")]
    Task UnassignWristbandAsync(Caller caller, Guid wristbandId);

    /// <summary>
    /// Creates this series as a recurring parent (a template that is never scheduled itself) and, in
    /// the same transaction, its first children: one per occurrence of the rule, with copies of its
    /// gates and category limits.
    /// </summary>
    [Alias("create-recurring")]
    Task<InstancesResult> CreateRecurringAsync(Caller caller, NewRecurringSeries series);

    /// <summary>Continues a recurring parent's sequence up to the requested reach; occurrences already generated are skipped.</summary>
    [Alias("generate-instances")]
    Task<InstancesResult> GenerateInstancesAsync(Caller caller, InstanceRequest request);

    /// <summary>
    /// Changes a recurring parent's template (as <see cref="UpdateAsync"/>) and, in the same
    /// transaction, starts the job that moves every instance that has not started to its own
    /// occurrence of the new schedule. Returns at once; the job runs in the background.
    /// </summary>
    [Alias("update-with-instances")]
    Task<SeriesJobView> UpdateWithInstancesAsync(Caller caller, SeriesSpec spec);

    /// <summary>
    /// Cancels a recurring parent (if it is not yet) and, in the same transaction, starts the job
    /// that cancels every instance that has not started, each logging its own transition.
    /// </summary>
    [Alias("cancel-with-instances")]
    Task<SeriesJobView> CancelWithInstancesAsync(Caller caller, string? reason);

    /// <summary>One of this parent's background jobs, with its progress.</summary>
    [Alias("job"), ReadOnly]
    Task<SeriesJobView> GetJobAsync(Caller caller, Guid jobId);

    /// <summary>This parent's background jobs, newest first (at most 100).</summary>
    [Alias("jobs"), ReadOnly]
    Task<ImmutableArray<SeriesJobView>> GetJobsAsync(Caller caller);
}
