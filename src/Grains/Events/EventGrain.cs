using EventSeries.Events;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Domain.Validation;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Stores;
using EventSeries.Wristbands;
using Orleans.Runtime;

namespace EventSeries.Grains.Events;

/// <summary>One event with its categories and gates in memory; registers its wristbands.</summary>
[GrainType("event")]
public sealed class EventGrain(EventStore store, EventRulesCache rules, DomainTime time) : Grain, IEventGrain
{
    private EventStore.EventSnapshot? _state;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _state = await store.LoadAsync(Id);

    public async Task<EventView> CreateAsync(Caller caller, Guid organizationId, EventSpec spec, ImmutableArray<CategoryView> categories)
    {
        caller.Authorize(organizationId, Permission.ManageEvents, "Organization");
        if (_state is not null)
        {
            throw DomainException.Conflict("event_exists", "An event with this id already exists.");
        }

        categories = categories.IsDefault ? [] : categories;
        var errors = new FieldErrors();
        EventValidation.Validate(spec, errors);
        for (var i = 0; i < categories.Length; i++)
        {
            EventValidation.Validate(categories[i], $"categories[{i}]", errors);
        }

        foreach (var duplicate in categories.GroupBy(c => c.Name).Where(g => g.Count() > 1))
        {
            errors.Add("categories", $"Category '{duplicate.Key}' is listed more than once.");
        }

        errors.ThrowIfAny();
        var now = time.Now();
        var view = new EventView(Id, organizationId, spec.Name, spec.Description, spec.TimeZone, now, now);
        await store.InsertAsync(view, categories, AuditEntry.By(caller, organizationId, now, "event.create", "event", Id, null, new { view, categories }));
        _state = new EventStore.EventSnapshot(view, [.. categories.OrderBy(c => c.Name, StringComparer.Ordinal)], []);
        return view;
    }

    public Task<EventView> GetAsync(Caller caller) => Task.FromResult(Visible(caller, Permission.View).Event);

    public async Task<EventView> UpdateAsync(Caller caller, EventSpec spec)
    {
        var state = Visible(caller, Permission.ManageEvents);
        var errors = new FieldErrors();
        EventValidation.Validate(spec, errors);
        errors.ThrowIfAny();
        var view = state.Event with { Name = spec.Name, Description = spec.Description, TimeZone = spec.TimeZone, UpdatedAt = time.Now() };
        await store.UpdateAsync(view, AuditEntry.By(caller, view.OrganizationId, view.UpdatedAt, "event.update", "event", Id, state.Event, view));
        _state = state with { Event = view };
        rules.Invalidate(Id);
        return view;
    }

    public async Task DeleteAsync(Caller caller)
    {
        var state = Visible(caller, Permission.DeleteEvents);
        await store.DeleteAsync(Id, AuditEntry.By(caller, state.Event.OrganizationId, time.Now(), "event.delete", "event", Id, state.Event, null));
        rules.Invalidate(Id);
        _state = null;
        DeactivateOnIdle();
    }

    public Task<ImmutableArray<CategoryView>> GetCategoriesAsync(Caller caller) => Task.FromResult(Visible(caller, Permission.View).Categories);

    public async Task<CategoryView> PutCategoryAsync(Caller caller, CategoryView category)
    {
        var state = Visible(caller, Permission.ManageEvents);
        var errors = new FieldErrors();
        EventValidation.Validate(category, "name", errors);
        errors.ThrowIfAny();
        var before = state.Categories.FirstOrDefault(c => c.Name == category.Name);
        await store.UpsertCategoryAsync(Id, category,
            AuditEntry.By(caller, state.Event.OrganizationId, time.Now(), before is null ? "category.create" : "category.update", "category", $"{Id}/{category.Name}", before, category));
        _state = state with
        {
            Categories = [.. state.Categories.Where(c => c.Name != category.Name).Append(category).OrderBy(c => c.Name, StringComparer.Ordinal)],
        };
        return category;
    }

    public Task<ImmutableArray<GateView>> GetGatesAsync(Caller caller) => Task.FromResult(Visible(caller, Permission.View).Gates);

    public async Task<GateView> CreateGateAsync(Caller caller, Guid gateId, GateSpec spec)
    {
        var state = Visible(caller, Permission.ManageEvents);
        return await SaveGateAsync(caller, state, gateId, spec);
    }

    public async Task<GateView> UpdateGateAsync(Caller caller, Guid gateId, GateSpec spec)
    {
        var state = Visible(caller, Permission.ManageEvents);
        if (state.Gates.All(g => g.Id != gateId))
        {
            throw DomainException.NotFound("Gate");
        }

        return await SaveGateAsync(caller, state, gateId, spec);
    }

    public async Task<ImmutableArray<WristbandView>> RegisterWristbandsAsync(Caller caller, ImmutableArray<WristbandSpec> wristbands)
    {
        var state = Visible(caller, Permission.ManageWristbands);
        var errors = new FieldErrors();
        EventValidation.Validate(wristbands, CategoryNames(state), errors);
        errors.ThrowIfAny();
        var now = time.Now();
        await store.InsertWristbandsAsync(Id, state.Event.OrganizationId, wristbands, now, AuditEntry.By(
            caller, state.Event.OrganizationId, now, "wristbands.register", "event", Id, null,
            new { count = wristbands.Length, byCategory = wristbands.GroupBy(w => w.Category).ToDictionary(g => g.Key, g => g.Count()), nfcIds = wristbands.Take(100).Select(w => w.NfcId) }));
        return [.. wristbands.Select(w => new WristbandView(w.Id, Id, state.Event.OrganizationId, w.NfcId, w.Category, w.Status, now, now)
        {
            HolderName = w.HolderName,
            HolderEmail = w.HolderEmail,
        }.For(caller))];
    }

    private async Task<GateView> SaveGateAsync(Caller caller, EventStore.EventSnapshot state, Guid gateId, GateSpec spec)
    {
        var errors = new FieldErrors();
        EventValidation.Validate(spec, CategoryNames(state), errors);
        errors.ThrowIfAny();
        var gate = new GateView(gateId, Id, spec.Name, spec.Kind, spec.Status, spec.AllowedCategories.IsDefault ? [] : [.. spec.AllowedCategories.Distinct()]);
        var before = state.Gates.FirstOrDefault(g => g.Id == gateId);
        var now = time.Now();
        await store.UpsertGateAsync(gate, state.Event.OrganizationId, now,
            AuditEntry.By(caller, state.Event.OrganizationId, now, before is null ? "gate.create" : "gate.update", "gate", gateId, before, gate));
        rules.Invalidate(Id);
        _state = state with { Gates = [.. state.Gates.Where(g => g.Id != gateId).Append(gate).OrderBy(g => g.Name, StringComparer.Ordinal)] };
        return gate;
    }

    private static HashSet<string> CategoryNames(EventStore.EventSnapshot state) => [.. state.Categories.Select(c => c.Name)];

    private EventStore.EventSnapshot Visible(Caller caller, Permission permission)
    {
        var state = _state ?? throw DomainException.NotFound("Event");
        caller.Authorize(state.Event.OrganizationId, permission, "Event");
        return state;
    }
}
