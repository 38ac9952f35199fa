using System.Globalization;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Series;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Domain.CheckIns;

/// <summary>
/// The scan rules as pure functions of the rules snapshot, the wristband and its presence, so each
/// denial reason is tested without a cluster. Capacity is checked after these, by the grain.
/// </summary>
public static class ScanRules
{
    /// <summary>
    /// A denial when the wristband itself cannot pass any gate, else null: unknown, not active, or
    /// paired to a ticket that is no longer valid (a band without a ticket is not asked about one).
    /// </summary>
    public static ScanDecision? CheckWristband(WristbandInfo? wristband) => wristband switch
    {
        null => ScanDecision.Deny(ScanReasons.UnknownWristband, null, "Unknown wristband: please see the box office."),
        { Status: not WristbandStatus.Active } w => ScanDecision.Deny(
            ScanReasons.WristbandInactive, Name(w.Status), $"This wristband is {Name(w.Status)}: please see the box office."),
        { Ticket: { } ticket } when ticket != TicketStatus.Valid => ScanDecision.Deny(
            ScanReasons.TicketVoid, Name(ticket), $"This wristband's ticket is {Name(ticket)}: please see the box office."),
        _ => null,
    };

    /// <summary>
    /// The series a scanner's scan is checked against: the event's active series to which the
    /// wristband is assigned, by start, whose window is open (entries) or has opened (exits: people
    /// leave until the series completes, after check-in closed). With none, the denial that explains best.
    /// </summary>
    public static (ImmutableArray<SeriesRules> Candidates, ScanDecision? Denial) SelectSeries(
        EventRules rules, ImmutableArray<Guid> assigned, ScanDirection direction, DateTimeOffset now)
    {
        var open = rules.ActiveSeries.Where(s => direction == ScanDirection.In ? s.InWindow(now) : now >= s.OpensAt).ToList();
        var mine = open.Where(s => assigned.Contains(s.Id)).ToImmutableArray();
        if (!mine.IsEmpty)
        {
            return (mine, null);
        }

        // An entry to a series of its own that is still running but closed check-in: too late.
        var closed = direction == ScanDirection.In
            ? rules.ActiveSeries.Where(s => now >= s.ClosesAt && assigned.Contains(s.Id)).MaxBy(s => (s.ClosesAt, s.Id))
            : null;
        if (closed is not null)
        {
            return ([], TooLate(closed, rules.TimeZone));
        }

        // Only the wristband's own series can be upcoming for it: look those up rather than walk all.
        var upcoming = assigned
            .Select(id => rules.SeriesById.GetValueOrDefault(id))
            .OfType<SeriesRules>()
            .Where(s => s.Lifecycle is SeriesLifecycle.Scheduled or SeriesLifecycle.Active && now < s.OpensAt)
            .MinBy(s => (s.OpensAt, s.StartsAt, s.Id));
        if (upcoming is not null)
        {
            return ([], TooEarly(upcoming, rules.TimeZone));
        }

        return open.Count > 0
            ? ([], ScanDecision.Deny(ScanReasons.NotAssigned, null, "This wristband is not valid for what is open now."))
            : ([], ScanDecision.Deny(ScanReasons.NoActiveSeries, null, "Nothing is open for this wristband now."));
    }

    /// <summary>Checks one series: lifecycle, window, assignment, gate (assigned, open, direction, category), then passback.</summary>
    public static ScanDecision CheckSeries(
        SeriesRules series, GateRules gate, WristbandInfo wristband, bool assigned, Presence presence, ScanDirection direction,
        DateTimeOffset now, TimeZoneInfo zone)
    {
        if (series.Lifecycle != SeriesLifecycle.Active)
        {
            return ScanDecision.Deny(ScanReasons.SeriesNotActive, Name(series.Lifecycle), $"{series.Name} is {Name(series.Lifecycle)}.", series);
        }

        if (now < series.OpensAt)
        {
            return TooEarly(series, zone);
        }

        // Only entries close with the window; exits go on until the series completes (at its end).
        if (now >= series.ClosesAt && direction == ScanDirection.In)
        {
            return TooLate(series, zone);
        }

        if (!assigned)
        {
            return ScanDecision.Deny(ScanReasons.NotAssigned, null, $"This wristband is not valid for {series.Name}.", series);
        }

        if (!series.GateIds.Contains(gate.Id))
        {
            return ScanDecision.Deny(ScanReasons.GateNotAllowed, "gate_not_assigned", $"Please use another gate for {series.Name}.", series);
        }

        if (gate.Status == GateStatus.Closed)
        {
            return ScanDecision.Deny(ScanReasons.GateNotAllowed, "gate_closed", $"Gate {gate.Name} is closed.", series);
        }

        if (!GateDirections.Accepts(gate.Kind, direction))
        {
            return ScanDecision.Deny(
                ScanReasons.GateNotAllowed, "direction", direction == ScanDirection.In ? $"Gate {gate.Name} is an exit." : $"Gate {gate.Name} is not an exit.", series);
        }

        if (gate.AllowedCategories.Count > 0 && !gate.AllowedCategories.Contains(wristband.Category))
        {
            return ScanDecision.Deny(ScanReasons.GateNotAllowed, "category", $"Gate {gate.Name} is not for {wristband.Category} wristbands.", series);
        }

        return direction == ScanDirection.In ? CheckEntry(series, presence) : CheckExit(series, presence);
    }

    private static ScanDecision CheckEntry(SeriesRules series, Presence presence) => series.Reentry switch
    {
        ReentryPolicy.Single when presence.Entries > 0 =>
            ScanDecision.Deny(ScanReasons.AlreadyInside, "single_entry", "This wristband has already been used to enter.", series),
        ReentryPolicy.Reentry when presence.Inside > 0 =>
            ScanDecision.Deny(ScanReasons.AlreadyInside, null, "This wristband is already inside.", series),
        _ => ScanDecision.Allow(series, ScanDirection.In),
    };

    private static ScanDecision CheckExit(SeriesRules series, Presence presence) =>
        series.Reentry != ReentryPolicy.Unlimited && presence.Inside <= 0
            ? ScanDecision.Deny(ScanReasons.NotInside, null, "This wristband has not entered.", series)
            : ScanDecision.Allow(series, ScanDirection.Out);

    private static ScanDecision TooLate(SeriesRules series, TimeZoneInfo zone) =>
        ScanDecision.Deny(ScanReasons.OutsideWindow, "too_late", $"Check-in closed at {Local(series.ClosesAt, zone)}.", series);

    private static ScanDecision TooEarly(SeriesRules series, TimeZoneInfo zone) =>
        ScanDecision.Deny(ScanReasons.OutsideWindow, "too_early", $"Check-in opens at {Local(series.OpensAt, zone)}.", series);

    /// <summary>A time as the gate screen shows it: local to the event, e.g. "17:00".</summary>
    private static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
