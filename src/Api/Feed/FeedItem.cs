namespace EventSeries.Api.Feed;

/// <summary>
/// One event of a feed, serialized once for every client of the process: <see cref="Data"/> for
/// those who may see personal data, <see cref="RedactedData"/> (when it differs) for viewers.
/// Check-ins and transitions have a <see cref="Position"/>; metrics, heartbeats and resets have none.
/// </summary>
public sealed record FeedItem(string Type, FeedPosition? Position, string Data, string? RedactedData = null)
{
    public const string Checkin = "checkin";
    public const string Transition = "transition";
    public const string Metrics = "metrics";
    public const string Heartbeat = "heartbeat";
    public const string Reset = "reset";

    public string DataFor(bool personalData) => personalData || RedactedData is null ? Data : RedactedData;
}
