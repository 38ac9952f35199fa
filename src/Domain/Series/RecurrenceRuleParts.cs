using System.Globalization;

namespace EventSeries.Domain.Series;

/// <summary>
/// Checks the shape of each part of an RRULE value (RFC 5545 §3.3.10) before Ical.Net reads it.
/// Ical.Net parses numbers with int.Parse and lets FormatException or OverflowException escape
/// (COUNT=1.5, COUNT=99999999999, BYHOUR=x), which would otherwise surface as a 500; here every
/// such part is refused with a message that names it.
/// </summary>
internal static class RecurrenceRuleParts
{
    /// <summary>Numeric parts: single value or list, and the range RFC 5545 allows for each number.</summary>
    private static readonly Dictionary<string, (bool List, int Min, int Max, bool NonZero)> Numbers = new(StringComparer.Ordinal)
    {
        ["COUNT"] = (false, 1, int.MaxValue, false),
        ["INTERVAL"] = (false, 1, int.MaxValue, false),
        ["BYSECOND"] = (true, 0, 60, false),
        ["BYMINUTE"] = (true, 0, 59, false),
        ["BYHOUR"] = (true, 0, 23, false),
        ["BYMONTHDAY"] = (true, -31, 31, true),
        ["BYYEARDAY"] = (true, -366, 366, true),
        ["BYWEEKNO"] = (true, -53, 53, true),
        ["BYMONTH"] = (true, 1, 12, false),
        ["BYSETPOS"] = (true, -366, 366, true),
    };

    private static readonly string[] Weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

    private static readonly string[] UntilFormats = ["yyyyMMdd", "yyyyMMdd'T'HHmmss", "yyyyMMdd'T'HHmmss'Z'"];

    /// <summary>The first malformed part of <paramref name="rule"/> (normalized: upper case, no prefix), or null if every part is well formed.</summary>
    public static string? FindError(string rule)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Empty parts (a trailing ';') carry nothing; Ical.Net skips them too.
        foreach (var part in rule.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                return $"'{Shorten(part)}' must be NAME=VALUE, such as COUNT=10.";
            }

            var (name, value) = (part[..equals], part[(equals + 1)..]);
            if (!seen.Add(name))
            {
                return $"{Shorten(name)} appears more than once.";
            }

            var error = name switch
            {
                _ when Numbers.TryGetValue(name, out var shape) => CheckNumbers(name, value, shape),
                "UNTIL" => DateTime.TryParseExact(value, UntilFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? null
                    : "UNTIL must be a date (20271231) or a UTC date-time (20271231T230000Z).",
                "WKST" => Weekdays.Contains(value, StringComparer.Ordinal) ? null : "WKST must be one of MO, TU, WE, TH, FR, SA, SU.",
                "BYDAY" => value.Split(',').All(IsWeekdayNum)
                    ? null
                    : "BYDAY must list day-of-week codes (MO, TU, WE, TH, FR, SA, SU), each optionally with a position from -53 to 53 such as 2TH or -1FR.",
                _ => null, // FREQ and unknown parts: Ical.Net's own messages say what it supports.
            };
            if (error is not null)
            {
                return $"{Shorten(part)}: {error}";
            }
        }

        return null;
    }

    private static string? CheckNumbers(string name, string value, (bool List, int Min, int Max, bool NonZero) shape)
    {
        var items = shape.List ? value.Split(',') : [value];
        var valid = items.All(item =>
            int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            && n >= shape.Min && n <= shape.Max && !(shape.NonZero && n == 0));
        if (valid)
        {
            return null;
        }

        var what = shape.List ? "a comma-separated list of whole numbers" : "a whole number";
        var range = shape.Max == int.MaxValue ? $"at least {shape.Min}, at most {int.MaxValue}" : $"from {shape.Min} to {shape.Max}";
        return $"{name} must be {what} {range}{(shape.NonZero ? ", not 0" : "")}.";
    }

    // [+|-][1-53]weekday, RFC 5545's weekdaynum.
    private static bool IsWeekdayNum(string item)
    {
        if (item.Length < 2 || !Weekdays.Contains(item[^2..], StringComparer.Ordinal))
        {
            return false;
        }

        var ordinal = item[..^2];
        return ordinal.Length == 0
            || (int.TryParse(ordinal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n != 0 && n is >= -53 and <= 53);
    }

    // Echo at most a little of what was sent: enough to find it, not a way to reflect big payloads.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
