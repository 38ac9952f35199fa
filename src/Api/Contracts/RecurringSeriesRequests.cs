using EventSeries.Series;

namespace EventSeries.Api.Contracts;

/// <summary>The rule of a recurring series in a request.</summary>
public sealed class RecurrenceRequest
{
    /// <summary>An RFC 5545 RRULE value, e.g. <c>FREQ=WEEKLY;BYDAY=TH;COUNT=10</c> (a leading <c>RRULE:</c> is allowed).</summary>
    public string? Rule { get; init; }

    /// <summary>Local dates on which the rule does not happen (EXDATE), e.g. <c>2026-12-24</c>.</summary>
    public List<DateOnly>? ExceptionDates { get; init; }

    /// <summary>The IANA zone the rule's wall-clock times are in; the event's zone when left out.</summary>
    public string? TimeZone { get; init; }

    public RecurrenceSpec ToSpec() => new(Rule ?? "", [.. ExceptionDates ?? []], TimeZone);
}

/// <summary>
/// Body of POST /api/series/recurring: the parent (schedule of the first occurrence, gates, category
/// limits), its rule, and how many instances to create now.
/// </summary>
public sealed class CreateRecurringSeriesRequest : SeriesSpecRequest
{
    public Guid? EventId { get; init; }

    public List<Guid>? GateIds { get; init; }

    public List<CategoryLimitRequest>? CategoryLimits { get; init; }

    public RecurrenceRequest? Recurrence { get; init; }

    /// <summary>Create the first N occurrences; required unless the rule has COUNT or UNTIL (or <see cref="Until"/> is given).</summary>
    public int? Instances { get; init; }

    /// <summary>Create every occurrence starting at or before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>New instances start scheduled (true) or as drafts (false, the default).</summary>
    public bool? Publish { get; init; }

    public NewRecurringSeries ToNewRecurringSeries()
    {
        var errors = new RequestErrors();
        var series = new NewSeries(errors.Value(EventId, "eventId"), ToSpec(errors), [.. GateIds ?? []], CategoryLimitRequest.ToLimits(CategoryLimits, errors));
        var recurrence = errors.Object(Recurrence, "recurrence");
        errors.ThrowIfAny();
        return new NewRecurringSeries(series, recurrence!.ToSpec(), new InstanceRequest(Instances, Until, Publish ?? false));
    }
}

/// <summary>Body of POST /api/series/recurring/{parentId}/instances: how far the sequence should reach now.</summary>
public sealed class InstancesRequest
{
    /// <summary>The first N occurrences should exist (those that do are skipped).</summary>
    public int? Instances { get; init; }

    /// <summary>Every occurrence starting at or before this instant should exist.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>New instances start scheduled (true) or as drafts (false, the default).</summary>
    public bool? Publish { get; init; }

    public InstanceRequest ToRequest() => Instances is null && Until is null
        ? throw DomainException.Invalid("instances", "Give instances (how many occurrences should exist) or until.")
        : new InstanceRequest(Instances, Until, Publish ?? false);
}
