using System.ComponentModel.DataAnnotations;
using EventSeries.Feed;

namespace EventSeries.Api.Feed;

/// <summary>The live feed (section <c>EventSeries:Feed</c>): timing, buffers and how far a resume reaches back.</summary>
public sealed class FeedOptions : IValidatableObject
{
    public const string Section = "EventSeries:Feed";

    /// <summary>
    /// How often every open stream gets a <c>heartbeat</c> event, so proxies that close idle
    /// connections leave it open, and how often the stream's token is checked again (a revoked
    /// token ends the stream at the next heartbeat). Default 15 seconds.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a check-in or transition is held after it reached this process before it is sent,
    /// so events from other silos with an earlier <c>at</c> can arrive first and the stream stays in
    /// (<c>at</c>, id) order, which is what makes an event id a resume position. Default 300 milliseconds.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often held events are checked for release. Default 50 milliseconds.</summary>
    public TimeSpan ReleasePeriod { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Events buffered for one client beyond what its connection took. A client that falls this far
    /// behind is disconnected (it reconnects with Last-Event-ID and resumes from the log); nobody
    /// else waits for it. Default 10,000 (two seconds at 5,000 scans a second).
    /// </summary>
    [Range(1, 1_000_000)]
    public int ClientBuffer { get; set; } = 10_000;

    /// <summary>The most check-ins (and, separately, transitions) replayed on a resume; beyond it the client gets <c>reset</c>. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int ReplayMaxEvents { get; set; } = 10_000;

    /// <summary>The oldest position a resume replays from; older ones get <c>reset</c>. Default one hour.</summary>
    public TimeSpan ReplayMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most series an event's feed follows (scheduled, active and draft series, soonest first). Default 200.</summary>
    [Range(1, 10_000)]
    public int MaxSeriesPerEvent { get; set; } = 200;

    /// <summary>
    /// How often this process tells each watched series' feed grain that it still listens; must be
    /// well inside the grain's observer lifetime. Default 10 seconds.
    /// </summary>
    public TimeSpan ObserverRefresh { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(HeartbeatInterval), HeartbeatInterval), (nameof(SettleDelay), SettleDelay), (nameof(ReleasePeriod), ReleasePeriod),
                     (nameof(ReplayMaxAge), ReplayMaxAge), (nameof(ObserverRefresh), ObserverRefresh),
                 })
        {
            if (value <= TimeSpan.Zero && !(name == nameof(SettleDelay) && value == TimeSpan.Zero))
            {
                yield return new ValidationResult($"{Section}:{name} must be longer than zero (it is {value}).", [name]);
            }
        }

        if (ObserverRefresh * 2 > SeriesFeedGrainLimits.ObserverLifetime)
        {
            yield return new ValidationResult(
                $"{Section}:ObserverRefresh must be at most half of {SeriesFeedGrainLimits.ObserverLifetime.TotalSeconds:0} seconds (it is {ObserverRefresh}).",
                [nameof(ObserverRefresh)]);
        }
    }
}
