using System.Runtime.CompilerServices;
using EventSeries.Api.Auth;
using EventSeries.CheckIns;
using EventSeries.Feed;
using EventSeries.Persistence.Queries;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Feed;

/// <summary>
/// Opens one client's stream, all of whose failures (a bad Last-Event-ID, the cluster or database
/// away) answer problem details before the stream starts: attach to the live feed first, then read
/// what the client missed from the log, then send the replay followed by the live events the
/// replay did not already hold (by position), so every committed check-in and transition after the
/// client's Last-Event-ID is sent once.
/// </summary>
public sealed partial class FeedConnector(
    FeedHub hub, FeedQueries queries, CallerCache callers, IGrainFactory grains, DomainTime time, IOptions<FeedOptions> options, ILogger<FeedConnector> logger)
{
    /// <summary>Opens the feed <paramref name="key"/> over <paramref name="scope"/>, which the caller was checked against.</summary>
    public async Task<BatchedServerSentEvents> OpenAsync(HttpContext http, string key, FeedScope scope, string? lastEventId, Guid? metricsOf)
    {
        FeedPosition? cursor = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            cursor = FeedPosition.TryParse(lastEventId, out var parsed)
                ? parsed
                : throw DomainException.Invalid("Last-Event-ID", "Not an event id of this feed: resume with the id of the last event received, or without the header.");
        }

        var caller = http.Caller();
        var personalData = caller.RoleIn(scope.OrganizationId) is { } role && RolePolicy.Allows(role, Permission.ViewPersonalData);
        var subscriber = new FeedSubscriber(options.Value.ClientBuffer, () =>
        {
            LogClientDropped(logger, key, options.Value.ClientBuffer);
            http.Abort();
        });
        var subscription = await hub.SubscribeAsync(key, scope.SeriesIds, subscriber, http.RequestAborted);
        http.Response.RegisterForDisposeAsync(subscription);

        var start = new List<FeedItem>();
        if (cursor is { } from)
        {
            start.AddRange(await ReplayAsync(scope, from));
        }

        if (metricsOf is { } seriesId)
        {
            start.Add(FeedJson.Metrics(SeriesFeedMetrics.From(await grains.GetGrain<ISeriesMetricsGrain>(seriesId).GetAsync(caller))));
        }

        // nginx (deploy/cluster.sh) buffers proxied answers unless told not to; a buffered feed is not live.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var token = BearerToken(http);
        async ValueTask<bool> StillAllowedAsync() =>
            token is { } t && await callers.FindAsync(t) is { } now && now.BelongsTo(scope.OrganizationId);

        return new BatchedServerSentEvents(StreamAsync(start, cursor, subscriber, personalData, StillAllowedAsync, http.RequestAborted));
    }

    /// <summary>What the client missed after <paramref name="cursor"/>, in order; or a reset when that is too far back.</summary>
    private async Task<IReadOnlyList<FeedItem>> ReplayAsync(FeedScope scope, FeedPosition cursor)
    {
        if (cursor.At < time.Now() - options.Value.ReplayMaxAge)
        {
            return [FeedJson.Reset($"Last-Event-ID is older than the replay reaches ({options.Value.ReplayMaxAge}): refetch, then reconnect without Last-Event-ID.")];
        }

        var backlog = await queries.BacklogAsync(scope.SeriesIds, cursor.At, options.Value.ReplayMaxEvents);
        if (backlog.Truncated)
        {
            return [FeedJson.Reset($"More than {options.Value.ReplayMaxEvents} events were missed: refetch, then reconnect without Last-Event-ID.")];
        }

        return [.. backlog.Checkins.Where(r => r.SeriesId is not null).Select(r => FeedJson.Checkin(r.ToScanEvent()))
            .Concat(backlog.Transitions.Select(FeedJson.Transition))
            .Where(i => i.Position!.Value > cursor)
            .OrderBy(i => i.Position!.Value)];
    }

    /// <summary>
    /// The client's events in batches (the replay, then each live batch), each sent with one write;
    /// a batch with nothing left to send is skipped.
    /// </summary>
    private static async IAsyncEnumerable<IReadOnlyList<byte[]>> StreamAsync(
        IReadOnlyList<FeedItem> start, FeedPosition? cursor, FeedSubscriber subscriber, bool personalData, Func<ValueTask<bool>> stillAllowed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = cursor;
        var replayed = new HashSet<FeedPosition>();
        var first = new List<byte[]>(start.Count);
        foreach (var item in start)
        {
            if (item.Position is { } position)
            {
                replayed.Add(position);
                last = position;
            }

            first.Add(item.Frame(personalData, withId: true));
        }

        // Sent even when empty: the response (and its headers) starts at once, not at the first event.
        yield return first;

        await foreach (var batch in subscriber.ReadAllAsync(cancellationToken))
        {
            var send = new List<byte[]>(batch.Length);
            foreach (var item in batch)
            {
                if (item.Type == FeedItem.Heartbeat && !await stillAllowed())
                {
                    // Revoked, expired, or no longer a member: the stream ends; reconnecting answers 401 or 404.
                    if (send.Count > 0)
                    {
                        yield return send;
                    }

                    yield break;
                }

                if (item.Position is not { } position)
                {
                    send.Add(item.Frame(personalData, withId: false));
                    continue;
                }

                // Already sent: before the Last-Event-ID, or in the replay.
                if ((cursor is { } seen && position <= seen) || replayed.Contains(position))
                {
                    continue;
                }

                // An event that arrives after a later one was sent goes without an id, so the
                // client's Last-Event-ID stays the furthest position it has.
                var newest = last is not { } l || position > l;
                if (newest)
                {
                    last = position;
                }

                send.Add(item.Frame(personalData, withId: newest));
            }

            if (send.Count > 0)
            {
                yield return send;
            }
        }
    }

    private static TokenKey? BearerToken(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? TokenKey.Of(header["Bearer ".Length..].Trim())
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A client of live feed {FeedKey} fell {Buffer} events behind and was disconnected.")]
    private static partial void LogClientDropped(ILogger logger, string feedKey, int buffer);
}
