using EventSeries.Series;

namespace EventSeries.Domain.Validation;

/// <summary>Validation of a series' schedule, per the seed's series-creation flow.</summary>
public static class SeriesValidation
{
    /// <summary>Series may span at most a year: longer is a typo, not a festival.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>The window may open at most a week before the start.</summary>
    public const int MaxOpensMinutesBefore = 7 * 24 * 60;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Collects every problem with <paramref name="spec"/> into <paramref name="errors"/>.</summary>
    public static void Validate(SeriesSpec spec, FieldErrors errors)
    {
        errors.RequireText("name", spec.Name, 200);
        errors.LimitText("description", spec.Description, 4000);
        if (spec.StartsAt < Earliest || spec.StartsAt > Latest)
        {
            errors.Add("startsAt", "Must be between the years 2000 and 2200.");
        }

        if (spec.EndsAt <= spec.StartsAt)
        {
            errors.Add("endsAt", "Must be after startsAt.");
        }
        else if (spec.EndsAt - spec.StartsAt > MaxDuration)
        {
            errors.Add("endsAt", "A series may last at most 366 days.");
        }

        if (spec.Capacity is < 0)
        {
            errors.Add("capacity", "Must be 0 or more.");
        }

        if (!Enum.IsDefined(spec.Reentry))
        {
            errors.Add("reentry", "Must be single, reentry or unlimited.");
        }

        ValidateWindow(spec, errors);
    }

    /// <summary>Throws a validation failure listing every problem with <paramref name="spec"/>.</summary>
    public static void EnsureValid(SeriesSpec spec)
    {
        var errors = new FieldErrors();
        Validate(spec, errors);
        errors.ThrowIfAny();
    }

    private static void ValidateWindow(SeriesSpec spec, FieldErrors errors)
    {
        var window = spec.Window;
        if (window.OpensMinutesBeforeStart is < 0 or > MaxOpensMinutesBefore)
        {
            errors.Add("checkInWindow.opensMinutesBeforeStart", $"Must be between 0 and {MaxOpensMinutesBefore}.");
        }

        if (window.ClosesMinutesAfterStart is { } closes)
        {
            if (closes < 0)
            {
                errors.Add("checkInWindow.closesMinutesAfterStart", "Must be 0 or more.");
            }
            else if (spec.EndsAt > spec.StartsAt && spec.StartsAt.AddMinutes(closes) > spec.EndsAt)
            {
                errors.Add("checkInWindow.closesMinutesAfterStart", "The window must close by the end of the series.");
            }
            else if (closes == 0 && window.OpensMinutesBeforeStart == 0)
            {
                errors.Add("checkInWindow", "The window must stay open for at least a minute.");
            }
        }
    }
}
