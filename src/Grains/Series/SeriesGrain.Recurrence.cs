using EventSeries.Domain.Series;
using EventSeries.Domain.Validation;
using EventSeries.Persistence.Jobs;
using EventSeries.Persistence.Recurrence;
using EventSeries.Persistence.Stores;
using EventSeries.Series;

namespace EventSeries.Grains.Series;

/// <summary>
/// Recurring parents. The parent is a template series (never scheduled itself) that writes its new
/// children in bulk, in one transaction; afterwards each child is changed only by its own grain, so
/// edits and cancellations become a job (<c>SeriesGrain.Jobs.cs</c>) that asks the children's
/// grains, which refuse once they have started.
/// </summary>
public sealed partial class SeriesGrain
{
    public async Task<InstancesResult> CreateRecurringAsync(Caller caller, NewRecurringSeries series)
    {
        var template = series.Template;
        var (organizationId, eventZone) = await recurring.FindEventAsync(template.EventId) ?? throw DomainException.NotFound("Event");
        caller.Authorize(organizationId, Permission.EditSeries, "Event");
        if (_state is not null)
        {
            throw DomainException.Conflict("series_exists", "A series with this id already exists.");
        }

        var rule = series.Recurrence with
        {
            Rule = RecurrenceRules.Normalize(series.Recurrence.Rule ?? ""),
            TimeZone = series.Recurrence.TimeZone ?? eventZone,
        };
        var errors = new FieldErrors();
        SeriesValidation.Validate(template.Spec, errors);
        var (gateIds, limits) = await ValidateChildrenAsync(template, errors);
        RecurrenceRules.Validate(rule, errors);
        ValidateReach(rule, series.Instances, errors);
        errors.ThrowIfAny();

        var now = time.Now();
        var record = new SeriesRecord(
            Id, organizationId, template.EventId, template.Spec, SeriesLifecycle.Draft, null, null, 1, caller.UserId, now, now,
            IsRecurring: true, RecurrencePattern: RecurrenceRules.ToPattern(rule), RecurrenceTimeZone: rule.TimeZone);
        var plan = PlanChildren(record, rule, series.Instances, generatedThrough: 0);
        record = record with { GeneratedThrough = plan.Through };
        var batch = new ChildBatch(record, plan.Children, gateIds, limits, PublishActor(caller), now, series.Instances.Publish);
        var childrenCreated = 0;
        var logged = await store.InsertAsync(
            record, gateIds, limits, new TransitionActor(caller.UserId, caller.DisplayName, "created"),
            Audit(caller, organizationId, now, "series.create_recurring", null, new
            {
                series = SeriesAuditView(record, gateIds, limits), instances = plan.Children.Length, published = series.Instances.Publish,
            }),
            async transaction => childrenCreated = await RecurringSeriesStore.InsertChildrenAsync(transaction, batch));
        Created(record, gateIds, limits, logged);
        return new InstancesResult(_state!.ToView(), childrenCreated, childrenCreated, plan.Through);
    }

    public async Task<InstancesResult> GenerateInstancesAsync(Caller caller, InstanceRequest request)
    {
        var state = Visible(caller, Permission.EditSeries);
        var rule = RecurringRule(state);
        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        var errors = new FieldErrors();
        ValidateReach(rule, request, errors);
        errors.ThrowIfAny();

        var plan = PlanChildren(state.Series, rule, request, state.Series.GeneratedThrough);
        var created = 0;
        if (!plan.Children.IsEmpty)
        {
            var now = time.Now();
            var batch = new ChildBatch(
                state.Series, plan.Children, [.. state.GateIds], [.. state.Limits.Select(l => new CategoryLimit(l.Key, l.Value))],
                PublishActor(caller), now, request.Publish);
            created = await recurring.AddChildrenAsync(Id, state.Series.Version, plan.Through, now, batch, Audit(
                caller, state, now, "series.instances.generate", new { generatedThrough = state.Series.GeneratedThrough },
                new { generatedThrough = plan.Through, instances = plan.Children.Length, published = request.Publish }));
            state.Series = state.Series with { GeneratedThrough = plan.Through };
            state.Touch(now);
            RulesChanged();
        }

        return new InstancesResult(state.ToView(), created, await recurring.CountChildrenAsync(Id), state.Series.GeneratedThrough);
    }

    public async Task<SeriesJobView> UpdateWithInstancesAsync(Caller caller, SeriesSpec spec)
    {
        var state = Visible(caller, Permission.EditSeries);

        // Refused before anything is written (whether a series is recurring never changes).
        if (state.Recurrence is null)
        {
            throw DomainException.Conflict("not_recurring", "applyToChildren applies to recurring parents only; this series has no instances.");
        }

        SeriesLifecycleRules.EnsureEditable(state.Series.Lifecycle);
        SeriesValidation.EnsureValid(spec);
        var job = NewJob(state, caller, SeriesJobKind.ApplySpec, new SeriesJobPayload(spec, null));
        SeriesJobView? started = null;
        await UpdateSpecAsync(state, spec, caller.UserId, caller.DisplayName, async transaction => started = await SeriesJobStore.InsertAsync(transaction, job));
        StartWorkingOnJobs();
        return started!;
    }

    public async Task<SeriesJobView> CancelWithInstancesAsync(Caller caller, string? reason)
    {
        var state = Visible(caller, Permission.TransitionSeries);
        RecurringRule(state);
        if (reason is { Length: > 900 })
        {
            throw DomainException.Invalid("reason", "At most 900 characters when cancelling with the children.");
        }

        var childReason = $"Cancelled with recurring series {Id}" + (reason is null ? "." : $": {reason}");
        var job = NewJob(state, caller, SeriesJobKind.CancelChildren, new SeriesJobPayload(null, childReason));
        SeriesJobView started;
        if (state.Series.Lifecycle != SeriesLifecycle.Cancelled)
        {
            SeriesJobView? inserted = null;
            await TransitionAsync(state, SeriesLifecycle.Cancelled, new TransitionActor(caller.UserId, caller.DisplayName, reason),
                async transaction => inserted = await SeriesJobStore.InsertAsync(transaction, job));
            started = inserted!;
        }
        else
        {
            // Cancelled already (say, a cascade asked again): only the children are left to do.
            started = await jobs.InsertAsync(job);
        }

        StartWorkingOnJobs();
        return started;
    }

    public async Task<ChildOutcome> ApplyParentSpecAsync(Guid parentId, SeriesSpec spec, JobActor actor)
    {
        var state = ChildOf(parentId);
        if (SameSchedule(state.Series.Spec, spec))
        {
            return ChildOutcome.AlreadyDone;
        }

        if (!NotStarted(state))
        {
            return ChildOutcome.LeftAlone;
        }

        SeriesValidation.EnsureValid(spec);
        await UpdateSpecAsync(state, spec, actor.UserId, actor.Name);
        return ChildOutcome.Changed;
    }

    public async Task<ChildOutcome> CancelWithParentAsync(Guid parentId, string reason, JobActor actor)
    {
        var state = ChildOf(parentId);
        if (state.Series.Lifecycle == SeriesLifecycle.Cancelled)
        {
            return ChildOutcome.AlreadyDone;
        }

        if (!NotStarted(state))
        {
            return ChildOutcome.LeftAlone;
        }

        await TransitionAsync(state, SeriesLifecycle.Cancelled, new TransitionActor(actor.UserId, actor.Name, reason));
        return ChildOutcome.Changed;
    }

    /// <summary>This series, if it is a child of <paramref name="parentId"/> (the parent authorized the job's caller for it).</summary>
    private SeriesState ChildOf(Guid parentId) =>
        _state is { } state && state.Series.ParentSeriesId == parentId ? state : throw DomainException.NotFound("Series");

    /// <summary>
    /// Whether a child already has a schedule, compared at PostgreSQL's microsecond precision: what a
    /// reactivated child read back must equal what its parent computes again after a restart.
    /// </summary>
    private static bool SameSchedule(SeriesSpec current, SeriesSpec wanted) =>
        current with { StartsAt = Micros(current.StartsAt), EndsAt = Micros(current.EndsAt) }
        == wanted with { StartsAt = Micros(wanted.StartsAt), EndsAt = Micros(wanted.EndsAt) };

    private static DateTimeOffset Micros(DateTimeOffset value) => value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond));

    /// <summary>
    /// Not started: a draft, or scheduled with its check-in window still ahead (a scheduled series
    /// whose window has opened is about to become active by itself).
    /// </summary>
    private bool NotStarted(SeriesState state) =>
        state.Series.Lifecycle == SeriesLifecycle.Draft
        || (state.Series.Lifecycle == SeriesLifecycle.Scheduled && time.Now() < state.Series.Spec.Window.OpensAt(state.Series.Spec.StartsAt));

    private static RecurrenceSpec RecurringRule(SeriesState state) =>
        state.Recurrence ?? throw DomainException.Conflict("not_recurring", "This series is not a recurring parent.");

    private static TransitionActor PublishActor(Caller caller) => new(caller.UserId, caller.DisplayName, "Published with its recurring series.");

    /// <summary>A request must say how far to go unless the rule ends by itself.</summary>
    private static void ValidateReach(RecurrenceSpec rule, InstanceRequest reach, FieldErrors errors)
    {
        if (reach.Count is < 1)
        {
            errors.Add("instances", "Must be 1 or more.");
        }

        // An invalid rule already has its own error; "unbounded" would only add noise to it.
        if (reach.Count is null && reach.Until is null && !errors.ToImmutable().ContainsKey("recurrence.rule") && !RecurrenceRules.IsBounded(rule.Rule))
        {
            errors.Add("instances", "The rule has no COUNT or UNTIL: give instances or until to say how many series to create.");
        }
    }

    /// <summary>
    /// The children a request adds: occurrences after <paramref name="generatedThrough"/> up to the
    /// requested reach, at most <see cref="RecurrenceRules.MaxInstancesPerRequest"/> of them.
    /// </summary>
    private static ChildPlan PlanChildren(SeriesRecord parent, RecurrenceSpec rule, InstanceRequest reach, int generatedThrough)
    {
        var ceiling = generatedThrough + RecurrenceRules.MaxInstancesPerRequest + 1;
        var take = reach.Count is { } count ? Math.Min(count, ceiling) : ceiling;
        var starts = RecurrenceRules.Occurrences(rule, parent.Spec.StartsAt, take, reach.Until);
        var fresh = starts.Skip(generatedThrough).ToList();
        if (fresh.Count > RecurrenceRules.MaxInstancesPerRequest)
        {
            throw DomainException.Invalid(
                "instances", $"At most {RecurrenceRules.MaxInstancesPerRequest} series per request; ask for fewer with instances or until and continue later.");
        }

        var duration = parent.Spec.EndsAt - parent.Spec.StartsAt;
        var children = fresh.Select((start, i) => new NewChild(Guid.CreateVersion7(), generatedThrough + i + 1, start, start + duration)).ToImmutableArray();
        if (!children.IsEmpty)
        {
            var last = children[^1];
            var errors = new FieldErrors();
            SeriesValidation.Validate(parent.Spec with { StartsAt = last.StartsAt, EndsAt = last.EndsAt }, errors);
            if (!errors.IsEmpty)
            {
                throw DomainException.Invalid("recurrence.rule", $"Occurrence {last.SequenceNumber} would start at {last.StartsAt:u}, which is not a valid series start.");
            }
        }

        return new ChildPlan(children, generatedThrough + children.Length);
    }

    private sealed record ChildPlan(ImmutableArray<NewChild> Children, int Through);
}
