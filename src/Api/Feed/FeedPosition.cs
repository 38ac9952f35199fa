using System.Globalization;

namespace EventSeries.Api.Feed;

/// <summary>
/// Where a check-in or transition stands in a feed, and its SSE event id: the row's <c>at</c> (in
/// microseconds, PostgreSQL's precision), then check-ins before transitions, then the row's id.
/// <c>at</c> alone is not unique (many scans share a microsecond), the id makes it so; both are in
/// the durable log, so a client's Last-Event-ID says exactly which rows it has seen.
/// Written <c>{atMicros}-c-{uuid}</c> or <c>{atMicros}-t-{transitionId}</c>.
/// </summary>
public readonly record struct FeedPosition(long AtMicros, Guid CheckinId, long TransitionId) : IComparable<FeedPosition>
{
    public bool IsTransition => CheckinId == Guid.Empty;

    public static FeedPosition OfCheckin(Guid id, DateTimeOffset at) => new(Micros(at), id, 0);

    public static FeedPosition OfTransition(long id, DateTimeOffset at) => new(Micros(at), Guid.Empty, id);

    public DateTimeOffset At => DateTimeOffset.UnixEpoch.AddTicks(AtMicros * 10);

    public int CompareTo(FeedPosition other)
    {
        var byTime = AtMicros.CompareTo(other.AtMicros);
        if (byTime != 0)
        {
            return byTime;
        }

        if (IsTransition != other.IsTransition)
        {
            return IsTransition ? 1 : -1;
        }

        // Guid orders by its fields as unsigned numbers, which is the order of its text and of
        // PostgreSQL's uuid: the same order the log is read in.
        return IsTransition ? TransitionId.CompareTo(other.TransitionId) : CheckinId.CompareTo(other.CheckinId);
    }

    public static bool operator <(FeedPosition a, FeedPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(FeedPosition a, FeedPosition b) => a.CompareTo(b) > 0;

    public static bool operator <=(FeedPosition a, FeedPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(FeedPosition a, FeedPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => IsTransition
        ? string.Create(CultureInfo.InvariantCulture, $"{AtMicros}-t-{TransitionId}")
        : string.Create(CultureInfo.InvariantCulture, $"{AtMicros}-c-{CheckinId:N}");

    /// <summary>Reads a Last-Event-ID; false for anything this feed did not write.</summary>
    public static bool TryParse(string? text, out FeedPosition position)
    {
        position = default;
        var parts = text?.Split('-');
        if (parts is not { Length: 3 } || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            return false;
        }

        if (parts[1] == "c" && parts[2].Length == 32 && Guid.TryParseExact(parts[2], "N", out var checkin) && checkin != Guid.Empty)
        {
            position = new FeedPosition(at, checkin, 0);
            return true;
        }

        if (parts[1] == "t" && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var transition) && transition > 0)
        {
            position = new FeedPosition(at, Guid.Empty, transition);
            return true;
        }

        return false;
    }

    private static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
