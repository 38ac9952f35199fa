using EventSeries.Series;

namespace EventSeries.Api.Contracts;

/// <summary>The check-in window in a request: minutes before the start it opens, minutes after the start it closes (null: at the end).</summary>
public sealed class CheckInWindowRequest
{
    public int? OpensMinutesBeforeStart { get; init; }

    public int? ClosesMinutesAfterStart { get; init; }

    public static CheckInWindow From(CheckInWindowRequest? request) => request is null
        ? CheckInWindow.Default
        : new CheckInWindow(request.OpensMinutesBeforeStart ?? CheckInWindow.Default.OpensMinutesBeforeStart, request.ClosesMinutesAfterStart);
}

/// <summary>Body of PUT /api/series/{id}: the series' schedule and capacity.</summary>
public class SeriesSpecRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Opens 60 minutes before the start and closes at the end when left out.</summary>
    public CheckInWindowRequest? CheckInWindow { get; init; }

    /// <summary>The most people inside at once; no limit when left out.</summary>
    public int? Capacity { get; init; }

    /// <summary>single, reentry (the default) or unlimited.</summary>
    public ReentryPolicy? Reentry { get; init; }

    public SeriesSpec ToSpec()
    {
        var errors = new RequestErrors();
        var spec = ToSpec(errors);
        errors.ThrowIfAny();
        return spec;
    }

    internal SeriesSpec ToSpec(RequestErrors errors) => new(
        errors.Text(Name, "name"), Description, errors.Value(StartsAt, "startsAt"), errors.Value(EndsAt, "endsAt"),
        CheckInWindowRequest.From(CheckInWindow), Capacity, Reentry ?? ReentryPolicy.Reentry);
}

/// <summary>Body of POST /api/series: the schedule plus its event and, optionally, gates and category limits.</summary>
public sealed class CreateSeriesRequest : SeriesSpecRequest
{
    public Guid? EventId { get; init; }

    public List<Guid>? GateIds { get; init; }

    public List<CategoryLimitRequest>? CategoryLimits { get; init; }

    public NewSeries ToNewSeries()
    {
        var errors = new RequestErrors();
        var series = new NewSeries(
            errors.Value(EventId, "eventId"), ToSpec(errors), [.. GateIds ?? []], CategoryLimitRequest.ToLimits(CategoryLimits, errors));
        errors.ThrowIfAny();
        return series;
    }
}

/// <summary>One category limit.</summary>
public sealed class CategoryLimitRequest
{
    public string? Category { get; init; }

    public int? MaxWristbands { get; init; }

    public static ImmutableArray<CategoryLimit> ToLimits(List<CategoryLimitRequest>? limits)
    {
        var errors = new RequestErrors();
        var converted = ToLimits(limits, errors);
        errors.ThrowIfAny();
        return converted;
    }

    internal static ImmutableArray<CategoryLimit> ToLimits(List<CategoryLimitRequest>? limits, RequestErrors errors) =>
    [
        .. (limits ?? []).Select((l, i) => errors.Object(l, $"categoryLimits[{i}]") is { } limit
            ? new CategoryLimit(limit.Category ?? "", errors.Value(limit.MaxWristbands, $"categoryLimits[{i}].maxWristbands"))
            : null)
            .OfType<CategoryLimit>(),
    ];
}

/// <summary>Body of POST /api/series/{id}/categories.</summary>
public sealed class SetCategoryLimitsRequest
{
    public List<CategoryLimitRequest>? Limits { get; init; }
}

/// <summary>Body of POST /api/series/{id}/transitions.</summary>
public sealed class TransitionRequest
{
    public SeriesLifecycle? To { get; init; }

    public string? Reason { get; init; }

    /// <summary>With to=cancelled on a recurring parent: also cancel every instance that has not started.</summary>
    public bool? Cascade { get; init; }
}

/// <summary>Body of POST /api/series/{id}/gates.</summary>
public sealed class AssignGatesRequest
{
    public List<Guid>? GateIds { get; init; }
}

/// <summary>Body of POST /api/series/{id}/wristbands: one wristband by id or NFC UID.</summary>
public sealed class AssignWristbandRequest
{
    public Guid? WristbandId { get; init; }

    public string? NfcId { get; init; }

    public WristbandAssignment ToAssignment() => WristbandId is null && NfcId is null
        ? throw DomainException.Invalid("wristbandId", "Give wristbandId or nfcId.")
        : new WristbandAssignment(WristbandId is { } id ? [id] : [], NfcId is { } nfc ? [nfc] : []);
}

/// <summary>Body of POST /api/series/{id}/wristbands/bulk: up to 10,000 by id and/or NFC UID.</summary>
public sealed class BulkAssignWristbandsRequest
{
    public List<Guid>? WristbandIds { get; init; }

    public List<string>? NfcIds { get; init; }

    public WristbandAssignment ToAssignment() => new([.. WristbandIds ?? []], [.. (NfcIds ?? []).Select(n => n ?? "")]);
}

/// <summary>
/// Body of POST /api/series/{id}/wristbands/assign-all: which of the event's wristbands (a category,
/// an import, both; an empty body means every wristband of the event).
/// </summary>
public sealed class AssignAllRequest
{
    public string? Category { get; init; }

    public Guid? ImportId { get; init; }
}
