namespace EventSeries.Series;

/// <summary>
/// When scanning is allowed, relative to the series start: it opens
/// <see cref="OpensMinutesBeforeStart"/> minutes before the start and closes
/// <see cref="ClosesMinutesAfterStart"/> minutes after the start, or at the series end when that
/// is null.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.window")]
public sealed record class CheckInWindow(
    [property: Id(0)] int OpensMinutesBeforeStart,
    [property: Id(1)] int? ClosesMinutesAfterStart)
{
    /// <summary>The default: opens an hour before the start and closes at the end.</summary>
    public static CheckInWindow Default { get; } = new(60, null);

    /// <summary>The instant the window opens for a series starting at <paramref name="startsAt"/>.</summary>
    public DateTimeOffset OpensAt(DateTimeOffset startsAt) => startsAt.AddMinutes(-OpensMinutesBeforeStart);

    /// <summary>The instant the window closes for a series running from <paramref name="startsAt"/> to <paramref name="endsAt"/>.</summary>
    public DateTimeOffset ClosesAt(DateTimeOffset startsAt, DateTimeOffset endsAt) =>
        ClosesMinutesAfterStart is { } minutes ? startsAt.AddMinutes(minutes) : endsAt;

    /// <summary>
    /// When the series completes by itself: at its end (or at the window's close, were that later).
    /// Not at the close: people inside must still be able to leave, so exits are recorded until then.
    /// </summary>
    public DateTimeOffset CompletesAt(DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var closes = ClosesAt(startsAt, endsAt);
        return closes > endsAt ? closes : endsAt;
    }
}
