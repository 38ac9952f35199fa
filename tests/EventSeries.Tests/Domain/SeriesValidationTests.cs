using EventSeries.Domain.Validation;
using EventSeries.Series;

namespace EventSeries.Tests.Domain;

public sealed class SeriesValidationTests
{
    private static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);

    private static SeriesSpec Valid() => new("Day 1", null, Start, Start.AddHours(6), CheckInWindow.Default, 1000);

    private static ImmutableDictionary<string, string[]> ErrorsOf(SeriesSpec spec)
    {
        var errors = new FieldErrors();
        SeriesValidation.Validate(spec, errors);
        return errors.ToImmutable();
    }

    [Fact]
    public void Validate_AcceptsAPlainSeries() => Assert.Empty(ErrorsOf(Valid()));

    [Fact]
    public void Validate_EndMustBeAfterStart()
    {
        Assert.Contains("endsAt", ErrorsOf(Valid() with { EndsAt = Start }).Keys);
        Assert.Contains("endsAt", ErrorsOf(Valid() with { EndsAt = Start.AddMinutes(-1) }).Keys);
    }

    [Fact]
    public void Validate_CapacityMustNotBeNegative_ZeroAndNullAreFine()
    {
        Assert.Contains("capacity", ErrorsOf(Valid() with { Capacity = -1 }).Keys);
        Assert.Empty(ErrorsOf(Valid() with { Capacity = 0 }));
        Assert.Empty(ErrorsOf(Valid() with { Capacity = null }));
    }

    [Fact]
    public void Validate_WindowMustCloseByTheEndAndNotBeEmpty()
    {
        Assert.Contains("checkInWindow.closesMinutesAfterStart", ErrorsOf(Valid() with { Window = new CheckInWindow(60, 6 * 60 + 1) }).Keys);
        Assert.Contains("checkInWindow.opensMinutesBeforeStart", ErrorsOf(Valid() with { Window = new CheckInWindow(-5, null) }).Keys);
        Assert.Contains("checkInWindow", ErrorsOf(Valid() with { Window = new CheckInWindow(0, 0) }).Keys);
        Assert.Empty(ErrorsOf(Valid() with { Window = new CheckInWindow(90, 30) }));
    }

    [Fact]
    public void Validate_NameIsRequiredAndBounded()
    {
        Assert.Contains("name", ErrorsOf(Valid() with { Name = " " }).Keys);
        Assert.Contains("name", ErrorsOf(Valid() with { Name = new string('x', 201) }).Keys);
    }

    [Fact]
    public void Validate_DatesOutOfRangeAreRefused() =>
        Assert.Contains("startsAt", ErrorsOf(Valid() with { StartsAt = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero) }).Keys);

    [Fact]
    public void CheckInWindow_OpensBeforeStartAndClosesAtEndOrOffset()
    {
        var spec = Valid();
        Assert.Equal(Start.AddHours(-1), spec.Window.OpensAt(Start));
        Assert.Equal(spec.EndsAt, spec.Window.ClosesAt(Start, spec.EndsAt));
        Assert.Equal(Start.AddMinutes(30), new CheckInWindow(60, 30).ClosesAt(Start, spec.EndsAt));
    }
}
