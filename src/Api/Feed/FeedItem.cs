namespace EventSeries.Api.Feed;

/// <summary>
/// One event of a feed, serialized once for every client of the process: <see cref="Data"/> for
/// those who may see personal data, <see cref="RedactedData"/> (when it differs) for viewers.
/// Check-ins and transitions have a <see cref="Position"/>; metrics, gates, heartbeats and resets have none.
/// Its wire frames are encoded once too (<see cref="Frame"/>), not once per client.
/// </summary>
public sealed record FeedItem(string Type, FeedPosition? Position, string Data, string? RedactedData = null)
{
    public const string Checkin = "checkin";
    public const string Transition = "transition";
    public const string Metrics = "metrics";
    public const string Gate = "gate";
    public const string Heartbeat = "heartbeat";
    public const string Reset = "reset";

    // [personal data, with id]: at most four frames, made on first use; a race makes one twice, harmlessly.
    private readonly byte[]?[] _frames = new byte[]?[4];

    /// <summary>Equal by what it says; the cached frames are not part of it.</summary>
    public bool Equals(FeedItem? other) =>
        other is not null && Type == other.Type && Position == other.Position && Data == other.Data && RedactedData == other.RedactedData;

    public override int GetHashCode() => HashCode.Combine(Type, Position, Data, RedactedData);

    public string DataFor(bool personalData) => personalData || RedactedData is null ? Data : RedactedData;

    /// <summary>The event as Server-Sent Events bytes, with its position as the id or without one.</summary>
    public byte[] Frame(bool personalData, bool withId)
    {
        var slot = (personalData ? 2 : 0) + (withId && Position is not null ? 1 : 0);
        return _frames[slot] ??= SseFrame.Encode(Type, withId ? Position?.ToString() : null, DataFor(personalData));
    }
}
