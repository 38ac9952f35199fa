using EventSeries.Security;
using EventSeries.Wristbands;

namespace EventSeries.Events;

/// <summary>
/// One event, keyed by its id: the single writer of the event, its categories and its gates, and
/// the place wristbands are registered (it knows the categories they must belong to).
/// </summary>
[Alias("es.event")]
public interface IEventGrain : IGrainWithGuidKey
{
    /// <summary>Creates the event in an organization, with its initial categories.</summary>
    [Alias("create")]
    Task<EventView> CreateAsync(Caller caller, Guid organizationId, EventSpec spec, ImmutableArray<CategoryView> categories);

    /// <summary>The event.</summary>
    [Alias("get"), ReadOnly]
    Task<EventView> GetAsync(Caller caller);

    /// <summary>Changes the event's name, description or time zone.</summary>
    [Alias("update")]
    Task<EventView> UpdateAsync(Caller caller, EventSpec spec);

    /// <summary>Deletes the event; refused while it has series past draft that were not cancelled.</summary>
    [Alias("delete")]
    Task DeleteAsync(Caller caller);

    /// <summary>The event's categories.</summary>
    [Alias("categories"), ReadOnly]
    Task<ImmutableArray<CategoryView>> GetCategoriesAsync(Caller caller);

    /// <summary>Adds a category (or updates its description).</summary>
    [Alias("put-category")]
    Task<CategoryView> PutCategoryAsync(Caller caller, CategoryView category);

    /// <summary>The event's gates.</summary>
    [Alias("gates"), ReadOnly]
    Task<ImmutableArray<GateView>> GetGatesAsync(Caller caller);

    /// <summary>Adds a gate.</summary>
    [Alias("create-gate")]
    Task<GateView> CreateGateAsync(Caller caller, Guid gateId, GateSpec spec);

    /// <summary>Changes a gate.</summary>
    [Alias("update-gate")]
    Task<GateView> UpdateGateAsync(Caller caller, Guid gateId, GateSpec spec);

    /// <summary>Registers wristbands, all or nothing (NFC ids are unique per event).</summary>
    [Alias("register-wristbands")]
    Task<ImmutableArray<WristbandView>> RegisterWristbandsAsync(Caller caller, ImmutableArray<WristbandSpec> wristbands);
}
