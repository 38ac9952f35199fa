using EventSeries.Api.Auth;
using EventSeries.Api.Feed;
using EventSeries.Persistence.Queries;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// The live feed: Server-Sent Events of check-ins, metrics and lifecycle transitions of a series
/// or of every series of an event, resumable with Last-Event-ID (docs/live-feed.md).
/// </summary>
public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/series/{seriesId:guid}/feed", SeriesFeedAsync).WithTags("Live feed").WithName("SeriesFeed")
            .WithSummary("Server-Sent Events of the series' check-ins (allowed and denied), metrics and transitions as they happen; resume with Last-Event-ID.");
        app.MapGet("/api/events/{eventId:guid}/feed", EventFeedAsync).WithTags("Live feed").WithName("EventFeed")
            .WithSummary("The live feed of every series of the event that can still scan or move (draft, scheduled, active); resume with Last-Event-ID.");
        return app;
    }

    public static async Task<BatchedServerSentEvents> SeriesFeedAsync(
        Guid seriesId, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, HttpContext http, FeedQueries queries, FeedConnector feed)
    {
        var scope = await queries.SeriesScopeAsync(http.Caller(), seriesId);
        return await feed.OpenAsync(http, FeedHub.SeriesKey(seriesId), scope, lastEventId, metricsOf: seriesId);
    }

    public static async Task<BatchedServerSentEvents> EventFeedAsync(
        Guid eventId, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, HttpContext http, FeedQueries queries, FeedConnector feed,
        IOptions<FeedOptions> options)
    {
        var scope = await queries.EventScopeAsync(http.Caller(), eventId, options.Value.MaxSeriesPerEvent);
        return await feed.OpenAsync(http, FeedHub.EventKey(eventId), scope, lastEventId, metricsOf: null);
    }
}
