using EventSeries.Domain.Series;
using EventSeries.Domain.Validation;
using EventSeries.Series;

namespace EventSeries.Tests.Recurrence;

/// <summary>RRULE expansion (Ical.Net) in wall-clock time of IANA zones; local times are checked with TimeZoneInfo, independently.</summary>
public sealed class RecurrenceRulesTests
{
    [Fact]
    public void Count_GivesExactlyThatManyOccurrences()
    {
        var starts = Expand("FREQ=DAILY;COUNT=5", "UTC", At(2026, 5, 4, 9, 0, "UTC"));

        Assert.Equal([4, 5, 6, 7, 8], starts.Select(s => s.Day));
    }

    [Fact]
    public void Until_IsInclusive_AndEndsTheRule()
    {
        var starts = Expand("FREQ=WEEKLY;UNTIL=20260416T170000Z", "Europe/Berlin", At(2026, 3, 19, 19, 0, "Europe/Berlin"));

        Assert.Equal(["2026-03-19", "2026-03-26", "2026-04-02", "2026-04-09", "2026-04-16"], LocalDates(starts, "Europe/Berlin"));
    }

    [Fact]
    public void Interval_SkipsPeriods()
    {
        var starts = Expand("FREQ=DAILY;INTERVAL=3;COUNT=4", "UTC", At(2026, 5, 1, 9, 0, "UTC"));

        Assert.Equal([1, 4, 7, 10], starts.Select(s => s.Day));
    }

    [Fact]
    public void ByDay_PicksTheNamedWeekdays()
    {
        var starts = Expand("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4", "UTC", At(2026, 5, 5, 9, 0, "UTC"));

        Assert.Equal([DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Tuesday, DayOfWeek.Thursday], starts.Select(s => s.DayOfWeek));
        Assert.Equal([5, 7, 12, 14], starts.Select(s => s.Day));
    }

    [Fact]
    public void ByMonthDay_SkipsMonthsWithoutThatDay()
    {
        var starts = Expand("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", "UTC", At(2026, 1, 31, 9, 0, "UTC"));

        Assert.Equal([(1, 31), (3, 31), (5, 31)], starts.Select(s => (s.Month, s.Day)));
    }

    [Fact]
    public void ExceptionDates_RemoveTheirOccurrences_AndCountStillIncludesThem()
    {
        var spec = new RecurrenceSpec("FREQ=WEEKLY;COUNT=4", [new DateOnly(2026, 3, 26)], "Europe/Berlin");

        var starts = RecurrenceRules.Occurrences(spec, At(2026, 3, 19, 19, 0, "Europe/Berlin"), 100, null);

        Assert.Equal(["2026-03-19", "2026-04-02", "2026-04-09"], LocalDates(starts, "Europe/Berlin"));
    }

    /// <summary>Berlin moves to summer time on 29 March 2026: 19:00 local stays 19:00, so UTC moves from 18:00 to 17:00.</summary>
    [Fact]
    public void Weekly1900Berlin_StaysAt1900Local_AcrossTheMarchChange()
    {
        var starts = Expand("FREQ=WEEKLY;BYDAY=TH;COUNT=3", "Europe/Berlin", At(2026, 3, 19, 19, 0, "Europe/Berlin"));

        Assert.All(starts, s => Assert.Equal(new TimeOnly(19, 0), LocalTime(s, "Europe/Berlin")));
        Assert.Equal([18, 18, 17], starts.Select(s => s.UtcDateTime.Hour));
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(2)], starts.Select(s => Offset(s, "Europe/Berlin")));
    }

    /// <summary>And back to winter time on 25 October 2026: UTC moves from 17:00 to 18:00.</summary>
    [Fact]
    public void Weekly1900Berlin_StaysAt1900Local_AcrossTheOctoberChange()
    {
        var starts = Expand("FREQ=WEEKLY;BYDAY=TH;COUNT=3", "Europe/Berlin", At(2026, 10, 15, 19, 0, "Europe/Berlin"));

        Assert.All(starts, s => Assert.Equal(new TimeOnly(19, 0), LocalTime(s, "Europe/Berlin")));
        Assert.Equal([17, 17, 18], starts.Select(s => s.UtcDateTime.Hour));
    }

    /// <summary>Kathmandu is UTC+05:45 all year: 20:00 local is 14:15 UTC every week.</summary>
    [Fact]
    public void Weekly2000Kathmandu_KeepsItsQuarterHourOffset()
    {
        var starts = Expand("FREQ=WEEKLY;COUNT=3", "Asia/Kathmandu", At(2026, 3, 23, 20, 0, "Asia/Kathmandu"));

        Assert.All(starts, s => Assert.Equal((14, 15), (s.UtcDateTime.Hour, s.UtcDateTime.Minute)));
        Assert.All(starts, s => Assert.Equal(new TimeOnly(20, 0), LocalTime(s, "Asia/Kathmandu")));
    }

    /// <summary>Adelaide leaves daylight time (+10:30) for +09:30 on 5 April 2026: 19:30 local stays 19:30.</summary>
    [Fact]
    public void Weekly1930Adelaide_StaysAt1930Local_AcrossItsHalfHourZoneChange()
    {
        var starts = Expand("FREQ=WEEKLY;COUNT=3", "Australia/Adelaide", At(2026, 3, 28, 19, 30, "Australia/Adelaide"));

        Assert.All(starts, s => Assert.Equal(new TimeOnly(19, 30), LocalTime(s, "Australia/Adelaide")));
        Assert.Equal(
            [TimeSpan.FromHours(10.5), TimeSpan.FromHours(10.5), TimeSpan.FromHours(9.5)],
            starts.Select(s => Offset(s, "Australia/Adelaide")));
        Assert.Equal([(9, 0), (9, 0), (10, 0)], starts.Select(s => (s.UtcDateTime.Hour, s.UtcDateTime.Minute)));
    }

    [Theory]
    [InlineData("", "Required")]
    [InlineData("FREQ=FORTNIGHTLY", "not supported")]
    [InlineData("garbage", "FREQ is required")]
    [InlineData("FREQ=WEEKLY;FOO=1", "not supported")]
    [InlineData("COUNT=3", "FREQ is required")]
    [InlineData("FREQ=WEEKLY;COUNT=0", "COUNT")]
    [InlineData("FREQ=WEEKLY;INTERVAL=-2", "INTERVAL")]
    [InlineData("FREQ=WEEKLY;BYDAY=XX", "day-of-week")]
    [InlineData("FREQ=WEEKLY;BYMONTHDAY=40", "")]
    [InlineData("FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z", "mutually exclusive")]
    [InlineData("FREQ=WEEKLY\r\nEXDATE:20270101", "line breaks")]
    [InlineData("FREQ=HOURLY;COUNT=5", "at most daily")]
    [InlineData("FREQ=MINUTELY;INTERVAL=60;COUNT=5", "at most daily")]
    public void BadRule_IsAFieldError_ThatSaysWhy(string rule, string says)
    {
        var errors = new FieldErrors();

        RecurrenceRules.Validate(new RecurrenceSpec(rule, [], "Europe/Berlin"), errors);

        var messages = errors.ToImmutable();
        Assert.Equal(["recurrence.rule"], messages.Keys);
        Assert.Contains(says, messages["recurrence.rule"][0], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parts whose value Ical.Net cannot read used to escape as FormatException or OverflowException
    /// (a 500 over HTTP); each must be a field error that names the part at fault.
    /// </summary>
    [Theory]
    [InlineData("FREQ=WEEKLY;COUNT=", "COUNT")]
    [InlineData("FREQ=WEEKLY;COUNT=1.5", "COUNT")]
    [InlineData("FREQ=WEEKLY;COUNT=99999999999", "COUNT")]
    [InlineData("FREQ=WEEKLY;COUNT=x", "COUNT")]
    [InlineData("FREQ=WEEKLY;INTERVAL=x", "INTERVAL")]
    [InlineData("FREQ=WEEKLY;INTERVAL=", "INTERVAL")]
    [InlineData("FREQ=YEARLY;BYMONTH=abc", "BYMONTH")]
    [InlineData("FREQ=DAILY;BYHOUR=x", "BYHOUR")]
    [InlineData("FREQ=DAILY;BYMINUTE=1e3", "BYMINUTE")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=x", "BYMONTHDAY")]
    [InlineData("FREQ=MONTHLY;BYSETPOS=x;BYDAY=MO", "BYSETPOS")]
    [InlineData("FREQ=YEARLY;BYWEEKNO=x", "BYWEEKNO")]
    [InlineData("FREQ=YEARLY;BYYEARDAY=99999999999", "BYYEARDAY")]
    [InlineData("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL")]
    [InlineData("FREQ=WEEKLY;WKST=XX", "WKST")]
    [InlineData("FREQ=WEEKLY;=3", "")]
    [InlineData("FREQ=WEEKLY;COUNT", "COUNT")]
    public void MalformedPart_IsAFieldError_NamingThePart(string rule, string part)
    {
        var errors = new FieldErrors();

        RecurrenceRules.Validate(new RecurrenceSpec(rule, [], "Europe/Berlin"), errors);

        var messages = errors.ToImmutable();
        Assert.Equal(["recurrence.rule"], messages.Keys);
        Assert.Contains(part, messages["recurrence.rule"][0], StringComparison.Ordinal);
        Assert.False(RecurrenceRules.IsBounded(rule));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Europe/Berlinn")]
    [InlineData("")]
    public void UnknownZone_IsAFieldError(string zone)
    {
        var errors = new FieldErrors();

        RecurrenceRules.Validate(new RecurrenceSpec("FREQ=WEEKLY;COUNT=2", [], zone), errors);

        Assert.Equal(["recurrence.timeZone"], errors.ToImmutable().Keys);
    }

    /// <summary>
    /// 02:30 does not exist in Berlin on 28 March 2027 and happens twice on 31 October: RFC 5545 moves
    /// the first forward by the gap and takes the first of the two (summer time) for the second.
    /// </summary>
    [Fact]
    public void Daily0230Berlin_MovesOverTheGap_AndTakesTheFirstOfTheRepeatedHour()
    {
        var starts = Expand("FREQ=DAILY;COUNT=300", "Europe/Berlin", At(2027, 3, 27, 2, 30, "Europe/Berlin"));

        var march28 = starts.Single(s => s.UtcDateTime.Date == new DateTime(2027, 3, 28));
        var october31 = starts.Single(s => s.UtcDateTime.Date == new DateTime(2027, 10, 31));
        Assert.Equal((new TimeOnly(3, 30), new TimeOnly(1, 30)), (LocalTime(march28, "Europe/Berlin"), TimeOnly.FromDateTime(march28.UtcDateTime)));
        Assert.Equal(new TimeOnly(0, 30), TimeOnly.FromDateTime(october31.UtcDateTime));
    }

    [Fact]
    public void RuleThatNeverMatches_IsRefused_InsteadOfSearchingForever()
    {
        var spec = new RecurrenceSpec("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", [], "UTC");

        var refused = Assert.Throws<DomainException>(() => RecurrenceRules.Occurrences(spec, At(2026, 1, 1, 9, 0, "UTC"), 10, null));

        Assert.Equal(DomainErrorKind.Validation, refused.Kind);
        Assert.Contains("recurrence.rule", refused.Errors!.Keys);
    }

    [Fact]
    public void StoredPattern_IsRfc5545Lines_AndReadsBackTheSame()
    {
        var spec = new RecurrenceSpec("rrule:freq=weekly;byday=th;count=10", [new DateOnly(2026, 12, 24), new DateOnly(2026, 4, 2)], "Europe/Berlin");

        var pattern = RecurrenceRules.ToPattern(spec);
        var back = RecurrenceRules.FromPattern(pattern, "Europe/Berlin");

        Assert.Equal("RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10\nEXDATE;VALUE=DATE:20260402,20261224", pattern);
        Assert.Equal("FREQ=WEEKLY;BYDAY=TH;COUNT=10", back.Rule);
        Assert.Equal([new DateOnly(2026, 4, 2), new DateOnly(2026, 12, 24)], back.ExceptionDates);
    }

    [Theory]
    [InlineData("FREQ=DAILY;BYHOUR=2,14")]
    [InlineData("FREQ=DAILY")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")]
    public void TenThousandOccurrences_ExpandInWellUnderASecond(string rule)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var starts = RecurrenceRules.Occurrences(new RecurrenceSpec(rule, [], "Europe/Berlin"), At(2027, 3, 18, 19, 0, "Europe/Berlin"), 10_001, null);

        Assert.Equal(10_001, starts.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("FREQ=WEEKLY;COUNT=3", true)]
    [InlineData("FREQ=WEEKLY;UNTIL=20270101T000000Z", true)]
    [InlineData("FREQ=WEEKLY;BYDAY=MO", false)]
    public void IsBounded_OnlyWithCountOrUntil(string rule, bool bounded) => Assert.Equal(bounded, RecurrenceRules.IsBounded(rule));

    private static ImmutableArray<DateTimeOffset> Expand(string rule, string zone, DateTimeOffset first) =>
        RecurrenceRules.Occurrences(new RecurrenceSpec(rule, [], zone), first, 1000, null);

    /// <summary>The instant of a local wall-clock time in a zone.</summary>
    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, tz.GetUtcOffset(local));
    }

    private static TimeOnly LocalTime(DateTimeOffset instant, string zone) =>
        TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);

    private static TimeSpan Offset(DateTimeOffset instant, string zone) => TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(instant);

    private static string[] LocalDates(IEnumerable<DateTimeOffset> starts, string zone) =>
        [.. starts.Select(s => TimeZoneInfo.ConvertTime(s, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];
}
