namespace EventSeries.Series;

/// <summary>
/// When a recurring series happens: an iCalendar RRULE value (RFC 5545, e.g.
/// <c>FREQ=WEEKLY;BYDAY=TH;COUNT=10</c>) evaluated in wall-clock time of <see cref="TimeZone"/>
/// from the parent's start, minus the local dates in <see cref="ExceptionDates"/> (EXDATE).
/// <see cref="TimeZone"/> is an IANA id; null in a request means the event's zone.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.recurrence")]
public sealed record class RecurrenceSpec(
    [property: Id(0)] string Rule,
    [property: Id(1)] ImmutableArray<DateOnly> ExceptionDates,
    [property: Id(2)] string? TimeZone);
