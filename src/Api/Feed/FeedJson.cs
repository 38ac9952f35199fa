using System.Text.Json;
using System.Text.Json.Serialization;
using EventSeries.Api.Hosting;
using EventSeries.CheckIns;
using EventSeries.Feed;
using EventSeries.Series;

namespace EventSeries.Api.Feed;

/// <summary>A check-in as the feed sends it. <see cref="WristbandId"/> only to members and up (see docs/live-feed.md).</summary>
public sealed record CheckinFeedEvent(
    Guid Id, Guid SeriesId, Guid GateId, string? Category, ScanDirection Direction, CheckinResult Result, string Reason, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? WristbandId);

/// <summary>The feed's events, each turned into JSON once, in the API's JSON rules (camelCase, enums by name).</summary>
public static class FeedJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static FeedItem Checkin(ScanEvent scan)
    {
        var full = new CheckinFeedEvent(scan.CheckinId, scan.SeriesId, scan.GateId, scan.Category, scan.Direction, scan.Result, scan.Reason, scan.At, scan.WristbandId);
        return new FeedItem(
            FeedItem.Checkin, FeedPosition.OfCheckin(scan.CheckinId, scan.At), Serialize(full), Serialize(full with { WristbandId = null }));
    }

    public static FeedItem Transition(SeriesTransition transition) =>
        new(FeedItem.Transition, FeedPosition.OfTransition(transition.Id, transition.At), Serialize(transition));

    public static FeedItem Metrics(SeriesFeedMetrics metrics) => new(FeedItem.Metrics, null, Serialize(metrics));

    public static FeedItem Gate(SeriesFeedGate gate) => new(FeedItem.Gate, null, Serialize(gate));

    public static FeedItem Heartbeat(DateTimeOffset now) => new(FeedItem.Heartbeat, null, Serialize(new { at = now }));

    public static FeedItem Reset(string reason) => new(FeedItem.Reset, null, Serialize(new { reason }));

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiHostingExtensions.ConfigureJson(options);
        return options;
    }
}
