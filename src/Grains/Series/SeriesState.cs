using EventSeries.Domain.Series;
using EventSeries.Persistence.Stores;
using EventSeries.Series;

namespace EventSeries.Grains.Series;

/// <summary>
/// What a series grain holds in memory: a mirror of its rows, loaded once on activation and
/// changed only after the matching write has committed.
/// </summary>
internal sealed class SeriesState(SeriesSnapshot snapshot)
{
    public SeriesRecord Series { get; set; } = snapshot.Series;

    public List<Guid> GateIds { get; } = [.. snapshot.GateIds];

    public Dictionary<string, int> Limits { get; } = new(snapshot.Limits, StringComparer.Ordinal);

    public Dictionary<string, int> Assigned { get; } = new(snapshot.AssignedByCategory, StringComparer.Ordinal);

    public List<SeriesTransition> Transitions { get; } = [.. snapshot.Transitions];

    /// <summary>A recurring parent's rule (it never changes once created), else null.</summary>
    public RecurrenceSpec? Recurrence { get; } = snapshot.Series is { IsRecurring: true, RecurrencePattern: { } pattern, RecurrenceTimeZone: { } zone }
        ? RecurrenceRules.FromPattern(pattern, zone)
        : null;

    /// <summary>Records a committed write: the row's version moved on by one.</summary>
    public void Touch(DateTimeOffset now) => Series = Series with { Version = Series.Version + 1, UpdatedAt = now };

    public ImmutableArray<CategoryLimitView> Categories() =>
    [
        .. Limits.Keys.Union(Assigned.Keys).Order(StringComparer.Ordinal)
            .Select(c => new CategoryLimitView(c, Limits.TryGetValue(c, out var max) ? max : null, Assigned.GetValueOrDefault(c))),
    ];

    public SeriesView ToView()
    {
        var s = Series;
        return new SeriesView(
            s.Id, s.OrganizationId, s.EventId, s.Spec.Name, s.Spec.Description, s.Spec.StartsAt, s.Spec.EndsAt, s.Spec.Window,
            s.Spec.Window.OpensAt(s.Spec.StartsAt), s.Spec.Window.ClosesAt(s.Spec.StartsAt, s.Spec.EndsAt), s.Spec.Capacity,
            s.Lifecycle, [.. GateIds], Categories(), Assigned.Values.Sum(), s.ParentSeriesId, s.SequenceNumber, s.Version,
            s.CreatedAt, s.UpdatedAt, s.Spec.Reentry, Recurrence);
    }
}
