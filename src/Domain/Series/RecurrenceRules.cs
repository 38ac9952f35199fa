using System.Globalization;
using EventSeries.Series;
using EventSeries.Domain.Validation;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace EventSeries.Domain.Series;

/// <summary>
/// Recurring series as pure functions: checking an RRULE, expanding it into the starts of its
/// occurrences, and the stored form of a rule. The calendar arithmetic is Ical.Net's (RFC 5545,
/// time zones from the IANA database), evaluated in wall-clock time of the series' zone, so a weekly
/// 19:00 stays 19:00 local across daylight-saving changes.
/// </summary>
public static class RecurrenceRules
{
    /// <summary>The most children one request may create (the seed's 10,000 series per organization).</summary>
    public const int MaxInstancesPerRequest = 10_000;

    /// <summary>The most exception dates a rule may carry.</summary>
    public const int MaxExceptionDates = 1_000;

    /// <summary>How long a rule may go without producing an occurrence before it is called empty (e.g. 30 February).</summary>
    private const int MaxUnmatchedIncrements = 10_000;

    private const string RulePrefix = "RRULE:";
    private const string ExceptionPrefix = "EXDATE;VALUE=DATE:";
    private const string DateFormat = "yyyyMMdd";

    /// <summary>Collects every problem with the rule, its zone and its exception dates into <paramref name="errors"/>.</summary>
    public static void Validate(RecurrenceSpec spec, FieldErrors errors)
    {
        if (TryParse(spec.Rule, out var error) is null)
        {
            errors.Add("recurrence.rule", error!);
        }

        if (string.IsNullOrWhiteSpace(spec.TimeZone) || !IsKnownZone(spec.TimeZone))
        {
            errors.Add("recurrence.timeZone", "Must be an IANA time zone id such as Europe/Berlin.");
        }

        if (!spec.ExceptionDates.IsDefault && spec.ExceptionDates.Length > MaxExceptionDates)
        {
            errors.Add("recurrence.exceptionDates", $"At most {MaxExceptionDates} dates.");
        }
    }

    /// <summary>Whether the rule itself ends (COUNT or UNTIL); an unbounded rule needs an explicit limit per request.</summary>
    public static bool IsBounded(string rule) => TryParse(rule, out _) is { } pattern && (pattern.Count is not null || pattern.Until is not null);

    /// <summary>
    /// The starts of the rule's first occurrences, in order: occurrence 1 is at index 0. At most
    /// <paramref name="take"/>, and none after <paramref name="until"/>. The first occurrence is
    /// anchored at <paramref name="firstStart"/>, read as wall-clock time in the rule's zone.
    /// </summary>
    public static ImmutableArray<DateTimeOffset> Occurrences(RecurrenceSpec spec, DateTimeOffset firstStart, int take, DateTimeOffset? until)
    {
        var pattern = TryParse(spec.Rule, out var error) ?? throw new ArgumentException(error, nameof(spec));
        var zone = spec.TimeZone ?? throw new ArgumentException("The rule needs a time zone.", nameof(spec));
        var calendarEvent = new CalendarEvent
        {
            DtStart = new CalDateTime(firstStart.UtcDateTime, "UTC", hasTime: true).ToTimeZone(zone),
            RecurrenceRule = pattern,
        };
        foreach (var date in spec.ExceptionDates.IsDefault ? [] : spec.ExceptionDates)
        {
            calendarEvent.ExceptionDates.Add(new CalDateTime(date));
        }

        try
        {
            var starts = calendarEvent.GetOccurrences(null, new EvaluationOptions { MaxUnmatchedIncrementsLimit = MaxUnmatchedIncrements })
                .Select(o => new DateTimeOffset(DateTime.SpecifyKind(o.Period.StartTime.AsUtc, DateTimeKind.Utc)));
            if (until is { } end)
            {
                starts = starts.TakeWhile(s => s <= end);
            }

            return [.. starts.Take(take)];
        }
        catch (Exception e) when (e is EvaluationLimitExceededException or EvaluationOutOfRangeException)
        {
            throw DomainException.Invalid("recurrence.rule", "The rule stops matching any date (for example a 30 February); check BYMONTH and BYMONTHDAY.");
        }
    }

    /// <summary>The stored form: RFC 5545 content lines, RRULE then EXDATE (local dates).</summary>
    public static string ToPattern(RecurrenceSpec spec)
    {
        var rule = RulePrefix + Normalize(spec.Rule);
        var dates = spec.ExceptionDates.IsDefaultOrEmpty
            ? ""
            : "\n" + ExceptionPrefix + string.Join(',', spec.ExceptionDates.Distinct().Order().Select(d => d.ToString(DateFormat, CultureInfo.InvariantCulture)));
        return rule + dates;
    }

    /// <summary>Reads the stored form back.</summary>
    public static RecurrenceSpec FromPattern(string pattern, string timeZone)
    {
        var lines = pattern.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rule = lines.Single(l => l.StartsWith(RulePrefix, StringComparison.Ordinal))[RulePrefix.Length..];
        var dates = lines.Where(l => l.StartsWith(ExceptionPrefix, StringComparison.Ordinal))
            .SelectMany(l => l[ExceptionPrefix.Length..].Split(','))
            .Select(d => DateOnly.ParseExact(d, DateFormat, CultureInfo.InvariantCulture));
        return new RecurrenceSpec(rule, [.. dates], timeZone);
    }

    /// <summary>The rule as one upper-case line without the optional "RRULE:" prefix.</summary>
    public static string Normalize(string rule)
    {
        var text = rule.Trim().ToUpperInvariant();
        return text.StartsWith(RulePrefix, StringComparison.Ordinal) ? text[RulePrefix.Length..] : text;
    }

    private static RecurrencePattern? TryParse(string? rule, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(rule))
        {
            error = "Required: an RRULE such as FREQ=WEEKLY;BYDAY=TH;COUNT=10.";
            return null;
        }

        var text = Normalize(rule);
        if (text.Length > 1000 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error = "Must be one RRULE value of at most 1000 characters, without spaces or line breaks.";
            return null;
        }

        if (!text.Split(';').Any(part => part.StartsWith("FREQ=", StringComparison.Ordinal)))
        {
            error = "FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY).";
            return null;
        }

        if (RecurrenceRuleParts.FindError(text) is { } partError)
        {
            error = $"Not a valid RRULE: {partError}";
            return null;
        }

        try
        {
            var pattern = new RecurrencePattern(text);
            if (pattern.Frequency is FrequencyType.Hourly or FrequencyType.Minutely or FrequencyType.Secondly)
            {
                // Also a guard: Ical.Net 5.2.4 loops forever on hourly steps through a daylight-saving
                // fall-back (the repeated hour), and a series is at least an evening anyway.
                error = "Series recur at most daily: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (BYHOUR may still pick several times a day).";
                return null;
            }

            return pattern;
        }
        // Ical.Net reports what it cannot read as ArgumentException, but parses numbers with int.Parse;
        // whatever the part check above did not foresee is still the client's rule, never a 500.
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            error = $"Not a valid RRULE: {message}";
            return null;
        }
    }

    private static bool IsKnownZone(string zone)
    {
        try
        {
            _ = new CalDateTime(DateTime.UnixEpoch, "UTC", hasTime: true).ToTimeZone(zone);
            return TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
