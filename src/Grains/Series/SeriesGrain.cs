using EventSeries.CheckIns;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Domain.Series;
using EventSeries.Domain.Validation;
using EventSeries.Persistence;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Jobs;
using EventSeries.Persistence.Recurrence;
using EventSeries.Persistence.Stores;
using EventSeries.Series;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace EventSeries.Grains.Series;

/// <summary>
/// One series. Loads its rows on activation, validates every command against memory, writes the
/// change in one transaction, and only then updates memory: a failed write changes nothing.
/// Recurring parents (<c>SeriesGrain.Recurrence.cs</c>), their background jobs
/// (<c>SeriesGrain.Jobs.cs</c>) and the automatic lifecycle (<c>SeriesGrain.Lifecycle.cs</c>) are
/// in the other parts of this class.
/// </summary>
[GrainType("series")]
public sealed partial class SeriesGrain(
    SeriesStore store, RecurringSeriesStore recurring, SeriesJobStore jobs, EventRulesCache rules, DomainTime time, ILogger<SeriesGrain> logger)
    : Grain, ISeriesGrain, ISeriesChildGrain, ISeriesLifecycleGrain, IIncomingGrainCallFilter
{
    /// <summary>The most wristbands one assignment call may carry.</summary>
    public const int MaxAssignmentBatch = 10_000;

    private SeriesState? _state;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(Id);
        _state = snapshot is null ? null : new SeriesState(snapshot);

        // A parent stopped mid-job (a restart, a lost silo) picks its job up again as it wakes.
        if (_state is { Recurrence: not null } && await jobs.HasRunningAsync(Id))
        {
            StartWorkingOnJobs();
        }
    }

    /// <summary>
    /// Before each call, confirms the row still exists: deleting the series' event deletes it by
    /// cascade without this grain, and memory must not go on answering (or writing) for it. A row
    /// with another version than memory's was changed by a bulk writer (an import assigning
    /// wristbands), so memory is read again. One primary-key read; series calls are
    /// administrative, scans never come here.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (_state is not null)
        {
            var version = await store.VersionAsync(Id);
            if (version is null)
            {
                _state = null;
                DeactivateOnIdle();
            }
            else if (version != _state.Series.Version && await store.LoadAsync(Id) is { } snapshot)
            {
                _state = new SeriesState(snapshot);
            }
        }

        await context.Invoke();
    }

    public async Task<SeriesView> CreateAsync(Caller caller, NewSeries series)
    {
        var organizationId = await store.FindEventOrganizationAsync(series.EventId) ?? throw DomainException.NotFound("Event");
        caller.Authorize(organizationId, Permission.EditSeries, "Event");
        if (_state is not null)
        {
            throw DomainException.Conflict("series_exists", "A series with this id already exists.");
        }

        var errors = new FieldErrors();
        SeriesValidation.Validate(series.Spec, errors);
        var (gateIds, limits) = await ValidateChildrenAsync(series, errors);
        errors.ThrowIfAny();

        var now = time.Now();
        var record = new SeriesRecord(
            Id, organizationId, series.EventId, series.Spec, SeriesLifecycle.Draft, null, null, 1, caller.UserId, now, now);
        var created = await store.InsertAsync(record, gateIds, limits, new TransitionActor(caller.UserId, caller.DisplayName, "created"),
            Audit(caller, record.OrganizationId, now, "series.create", null, SeriesAuditView(record, gateIds, limits)));
        Created(record, gateIds, limits, created);
        return _state!.ToView();
    }

    public Task<SeriesView> GetAsync(Caller caller) => Task.FromResult(Visible(caller, Permission.View).ToView());

    public async Task<SeriesView> UpdateAsync(Caller caller, SeriesSpec spec)
    {
        var state = Visible(caller, Permission.EditSeries);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        SeriesValidation.EnsureValid(spec);
        await UpdateSpecAsync(state, spec, caller.UserId, caller.DisplayName);
        return state.ToView();
    }

    public async Task DeleteAsync(Caller caller)
    {
        var state = Visible(caller, Permission.DeleteSeries);
        SeriesLifecycleRules.EnsureDeletable(state.Series.Lifecycle);
        await store.DeleteAsync(Id, state.Series.Version, Audit(caller, state, time.Now(), "series.delete", state.ToView(), null));
        RulesChanged();
        _state = null;
        DeactivateOnIdle();
    }

    public async Task<SeriesTransition> TransitionAsync(Caller caller, SeriesLifecycle to, string? reason)
    {
        var state = Visible(caller, Permission.TransitionSeries);
        if (reason is { Length: > 1000 })
        {
            throw DomainException.Invalid("reason", "At most 1000 characters.");
        }

        if (state.Series.IsRecurring && to != SeriesLifecycle.Cancelled)
        {
            throw DomainException.Conflict(
                "recurring_parent",
                "A recurring parent is the template of its instances and is never scheduled itself: publish its instances (publish: true) or cancel it.");
        }

        return await TransitionAsync(state, to, new TransitionActor(caller.UserId, caller.DisplayName, reason));
    }

    public Task<ImmutableArray<SeriesTransition>> GetTransitionsAsync(Caller caller) =>
        Task.FromResult(Visible(caller, Permission.View).Transitions.ToImmutableArray());

    public async Task<ImmutableArray<Guid>> AssignGatesAsync(Caller caller, ImmutableArray<Guid> gateIds)
    {
        var state = Visible(caller, Permission.EditSeries);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        var errors = new FieldErrors();
        await ValidateGatesAsync(state.Series.EventId, gateIds, errors);
        errors.ThrowIfAny();
        var added = gateIds.Distinct().Where(g => !state.GateIds.Contains(g)).ToImmutableArray();
        if (!added.IsEmpty)
        {
            var now = time.Now();
            await store.AddGatesAsync(Id, added, state.Series.Version, now,
                Audit(caller, state, now, "series.gates.assign", new { gateIds = state.GateIds }, new { gateIds = state.GateIds.Concat(added) }));
            state.GateIds.AddRange(added);
            state.Touch(now);
            RulesChanged();
        }

        return [.. state.GateIds];
    }

    public async Task RemoveGateAsync(Caller caller, Guid gateId)
    {
        var state = Visible(caller, Permission.EditSeries);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        if (!state.GateIds.Contains(gateId))
        {
            throw DomainException.NotFound("Gate assignment");
        }

        var now = time.Now();
        await store.RemoveGateAsync(Id, gateId, state.Series.Version, now,
            Audit(caller, state, now, "series.gates.remove", new { gateIds = state.GateIds }, new { gateIds = state.GateIds.Where(g => g != gateId) }));
        state.GateIds.Remove(gateId);
        state.Touch(now);
        RulesChanged();
    }

    public Task<ImmutableArray<CategoryLimitView>> GetCategoriesAsync(Caller caller) =>
        Task.FromResult(Visible(caller, Permission.View).Categories());

    public async Task<ImmutableArray<CategoryLimitView>> SetCategoryLimitsAsync(Caller caller, ImmutableArray<CategoryLimit> limits)
    {
        var state = Visible(caller, Permission.EditSeries);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        var errors = new FieldErrors();
        await ValidateLimitsAsync(state.Series.EventId, limits, errors);
        errors.ThrowIfAny();
        var belowAssigned = limits.Where(l => l.MaxWristbands < state.Assigned.GetValueOrDefault(l.Category)).ToList();
        if (belowAssigned.Count > 0)
        {
            throw DomainException.Conflict("limit_below_assigned", string.Join(" ", belowAssigned.Select(l =>
                $"Category '{l.Category}' already has {state.Assigned[l.Category]} wristbands assigned; the limit cannot be {l.MaxWristbands}.")));
        }

        var now = time.Now();
        await store.SetLimitsAsync(Id, limits, state.Series.Version, now,
            Audit(caller, state, now, "series.limits.set", new { limits = state.Limits }, new { limits }));
        foreach (var limit in limits)
        {
            state.Limits[limit.Category] = limit.MaxWristbands;
        }

        state.Touch(now);
        return state.Categories();
    }

    public async Task<AssignmentResult> AssignWristbandsAsync(Caller caller, WristbandAssignment assignment)
    {
        var state = Visible(caller, Permission.AssignWristbands);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        var wanted = await ResolveAssignmentAsync(state, assignment);
        var already = await store.FindAssignedAsync(Id, [.. wanted.Select(w => w.Id)]);
        var fresh = wanted.Where(w => !already.Contains(w.Id)).ToList();
        EnsureWithinLimits(state, fresh);
        if (fresh.Count > 0)
        {
            var now = time.Now();
            await store.AssignAsync(Id, fresh, state.Series.Version, now, Audit(caller, state, now, "series.wristbands.assign",
                new { assigned = state.Assigned }, new { added = fresh.Count, wristbandIds = fresh.Take(100).Select(w => w.Id) }));
            foreach (var group in fresh.GroupBy(w => w.Category))
            {
                state.Assigned[group.Key] = state.Assigned.GetValueOrDefault(group.Key) + group.Count();
            }

            state.Touch(now);
        }

        return new AssignmentResult(fresh.Count, already.Count, state.Categories());
    }

    public async Task<AssignmentResult> AssignInBulkAsync(Caller caller, BulkAssignment assignment)
    {
        var state = Visible(caller, Permission.AssignWristbands);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        if (assignment.Category is { } category && !EventValidation.CategoryName().IsMatch(category))
        {
            throw DomainException.Invalid("category", $"'{category}' is not a category name.");
        }

        var now = time.Now();
        var limits = state.Limits.ToDictionary(l => l.Key, l => l.Value);
        var (added, already) = await store.AssignInBulkAsync(Id, state.Series.EventId, assignment.Category, assignment.ImportId, limits, state.Series.Version, now,
            Audit(caller, state, now, "series.wristbands.assign-bulk", new { assigned = state.Assigned }, new { assignment.Category, assignment.ImportId }));
        foreach (var (addedCategory, count) in added)
        {
            state.Assigned[addedCategory] = state.Assigned.GetValueOrDefault(addedCategory) + count;
        }

        state.Touch(now); // the write bumped the row's version either way
        return new AssignmentResult(added.Values.Sum(), already, state.Categories());
    }

    public async Task UnassignWristbandAsync(Caller caller, Guid wristbandId)
    {
        var state = Visible(caller, Permission.AssignWristbands);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        var now = time.Now();
        var wristband = await store.UnassignAsync(Id, wristbandId, state.Series.Version, now,
            Audit(caller, state, now, "series.wristbands.unassign", new { wristbandId }, null));
        state.Touch(now);
        state.Assigned[wristband.Category] = state.Assigned.GetValueOrDefault(wristband.Category) - 1;

        // Removals are pushed to the gates at once (additions are found when a refused wristband re-reads).
        await GrainFactory.Reference<IWristbandAccessGrain>(AccessKey.For(state.Series.EventId, wristband.NfcId)).UnassignedAsync(Id);
    }

    /// <summary>Moves the lifecycle if the state machine allows it, logging who did it; memory follows the committed write.</summary>
    private async Task<SeriesTransition> TransitionAsync(
        SeriesState state, SeriesLifecycle to, TransitionActor actor, AlongsideWrite? alongside = null)
    {
        var from = state.Series.Lifecycle;
        SeriesLifecycleRules.EnsureCanTransition(from, to);
        var now = time.Now();

        // The audit actor is the transition's: a person, or "system" for the automatic lifecycle.
        var audit = new AuditEntry(
            state.Series.OrganizationId, now, actor.UserId, actor.Name, "series.transition", "series", Id.ToString(),
            new { lifecycle = from }, new { lifecycle = to, reason = actor.Reason });
        var logged = await store.TransitionAsync(Id, from, to, state.Series.Version, now, actor, audit, alongside);
        state.Series = state.Series with { Lifecycle = to };
        state.Touch(now);
        state.Transitions.Add(logged);
        RulesChanged();
        await PublishTransitionAsync(logged);
        return logged;
    }

    /// <summary>Stores a new (validated) schedule, on behalf of a person (or their parent's job).</summary>
    private async Task UpdateSpecAsync(
        SeriesState state, SeriesSpec spec, Guid? userId, string actor, AlongsideWrite? alongside = null)
    {
        var now = time.Now();
        var audit = new AuditEntry(state.Series.OrganizationId, now, userId, actor, "series.update", "series", Id.ToString(), state.Series.Spec, spec);
        await store.UpdateSpecAsync(Id, spec, state.Series.Version, now, audit, alongside);
        state.Series = state.Series with { Spec = spec };
        state.Touch(now);
        RulesChanged();
    }

    /// <summary>Takes a freshly inserted series into memory.</summary>
    private void Created(SeriesRecord record, ImmutableArray<Guid> gateIds, ImmutableArray<CategoryLimit> limits, SeriesTransition created)
    {
        _state = new SeriesState(new SeriesSnapshot(
            record, gateIds, limits.ToImmutableDictionary(l => l.Category, l => l.MaxWristbands),
            ImmutableDictionary<string, int>.Empty, [created]));
        RulesChanged();
    }

    /// <summary>
    /// Drops this silo's cached scan rules of the event at once; the notification sent with the
    /// write does the same on every other silo moments later.
    /// </summary>
    private void RulesChanged()
    {
        if (_state is not null)
        {
            rules.Invalidate(_state.Series.EventId);
        }
    }

    /// <summary>What the audit trail keeps of a new series (not its wristbands).</summary>
    private static object SeriesAuditView(SeriesRecord record, ImmutableArray<Guid> gateIds, ImmutableArray<CategoryLimit> limits) =>
        new { record.Spec, record.EventId, record.Lifecycle, record.IsRecurring, record.RecurrencePattern, gateIds, limits };

    private AuditEntry Audit(Caller caller, SeriesState state, DateTimeOffset now, string action, object? before, object? after) =>
        Audit(caller, state.Series.OrganizationId, now, action, before, after);

    private AuditEntry Audit(Caller caller, Guid organizationId, DateTimeOffset now, string action, object? before, object? after) =>
        AuditEntry.By(caller, organizationId, now, action, "series", Id, before, after);

    private SeriesState Visible(Caller caller, Permission permission)
    {
        if (_state is null)
        {
            throw DomainException.NotFound("Series");
        }

        caller.Authorize(_state.Series.OrganizationId, permission, "Series");
        return _state;
    }

    private async Task<(ImmutableArray<Guid> Gates, ImmutableArray<CategoryLimit> Limits)> ValidateChildrenAsync(NewSeries series, FieldErrors errors)
    {
        var gates = series.GateIds.IsDefault ? [] : series.GateIds.Distinct().ToImmutableArray();
        var limits = series.CategoryLimits.IsDefault ? [] : series.CategoryLimits;
        await ValidateGatesAsync(series.EventId, gates, errors);
        await ValidateLimitsAsync(series.EventId, limits, errors);
        return (gates, limits);
    }

    private async Task ValidateGatesAsync(Guid eventId, ImmutableArray<Guid> gateIds, FieldErrors errors)
    {
        if (gateIds.IsDefaultOrEmpty)
        {
            return;
        }

        var known = await store.FindEventGatesAsync(eventId, [.. gateIds]);
        foreach (var unknown in gateIds.Where(g => !known.Contains(g)).Distinct())
        {
            errors.Add("gateIds", $"Gate {unknown} is not a gate of the series' event.");
        }
    }

    private async Task ValidateLimitsAsync(Guid eventId, ImmutableArray<CategoryLimit> limits, FieldErrors errors)
    {
        if (limits.IsDefaultOrEmpty)
        {
            return;
        }

        var categories = await store.GetEventCategoriesAsync(eventId);
        foreach (var limit in limits)
        {
            if (!categories.Contains(limit.Category))
            {
                errors.Add("categoryLimits", $"Category '{limit.Category}' is not a category of the series' event.");
            }

            if (limit.MaxWristbands < 0)
            {
                errors.Add("categoryLimits", $"The limit of '{limit.Category}' must be 0 or more.");
            }
        }

        foreach (var duplicate in limits.GroupBy(l => l.Category).Where(g => g.Count() > 1))
        {
            errors.Add("categoryLimits", $"Category '{duplicate.Key}' is listed more than once.");
        }
    }

    private async Task<List<ResolvedWristband>> ResolveAssignmentAsync(SeriesState state, WristbandAssignment assignment)
    {
        Guid[] ids = assignment.WristbandIds.IsDefault ? [] : [.. assignment.WristbandIds.Distinct()];
        string[] nfcIds = assignment.NfcIds.IsDefault ? [] : [.. assignment.NfcIds.Distinct(StringComparer.Ordinal)];
        if (ids.Length + nfcIds.Length == 0)
        {
            throw DomainException.Invalid("wristbandIds", "Name at least one wristband.");
        }

        if (ids.Length + nfcIds.Length > MaxAssignmentBatch)
        {
            throw DomainException.Invalid("wristbandIds", $"At most {MaxAssignmentBatch} wristbands per request.");
        }

        var found = await store.ResolveWristbandsAsync(state.Series.EventId, ids, nfcIds);
        var errors = new FieldErrors();
        foreach (var missing in ids.Where(id => found.All(w => w.Id != id)).Take(20))
        {
            errors.Add("wristbandIds", $"Wristband {missing} is not a wristband of the series' event.");
        }

        foreach (var missing in nfcIds.Where(n => found.All(w => w.NfcId != n)).Take(20))
        {
            errors.Add("nfcIds", $"NFC UID '{missing}' is not registered for the series' event.");
        }

        errors.ThrowIfAny();
        return [.. found.DistinctBy(w => w.Id)];
    }

    private static void EnsureWithinLimits(SeriesState state, List<ResolvedWristband> fresh)
    {
        var over = fresh.GroupBy(w => w.Category)
            .Select(g => (Category: g.Key, Adding: g.Count(), Assigned: state.Assigned.GetValueOrDefault(g.Key), Limit: state.Limits.TryGetValue(g.Key, out var max) ? max : (int?)null))
            .Where(c => c.Limit is { } limit && c.Assigned + c.Adding > limit)
            .ToList();
        if (over.Count > 0)
        {
            throw DomainException.Conflict("category_limit_exceeded", string.Join(" ", over.Select(c =>
                $"Category '{c.Category}' allows {c.Limit} wristbands; {c.Assigned} are assigned and this would add {c.Adding}.")));
        }
    }
}
