using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Exports;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace EventSeries.Api.Exports;

/// <summary>
/// Exports of a series' check-in log and per-minute metrics as CSV or NDJSON files, streamed from
/// one PostgreSQL query to the response (docs/exports.md). Who may read the list or the metrics
/// may export them; the same 404 for a series the caller cannot see.
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        var series = app.MapGroup("/api/series/{seriesId:guid}").WithTags("Exports");
        series.MapGet("/checkins/export", ExportCheckinsAsync).WithName("ExportCheckins")
            .WithSummary("The check-in log as a file, newest first, with the list's filters (gateId, result, reason, from, to); format=csv|ndjson. Streamed: a fault mid-way aborts the transfer.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv", ExportFormats.NdjsonType);
        series.MapGet("/metrics/export", ExportMetricsAsync).WithName("ExportMetrics")
            .WithSummary("Per minute, gate and category counts from the check-in log (scans, allowed, denied, annulled, entries, exits, occupancy change); format=csv|ndjson, optional from/to.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv", ExportFormats.NdjsonType);
        return app;
    }

    public static async Task<PushStreamHttpResult> ExportCheckinsAsync(
        Guid seriesId, string? format, Guid? gateId, string? result, string? reason, DateTimeOffset? from, DateTimeOffset? to,
        HttpContext http, ExportQueries queries, ExportSlots slots, IOptions<HttpJsonOptions> json)
    {
        // Everything that can refuse the request is checked before the query starts.
        var fileFormat = ExportFormats.Parse(format, http.Request);
        var filter = CheckinFilters.Parse(gateId, result, reason, from, to);
        slots.Take(http);
        var rows = await queries.OpenCheckinsAsync(http.Caller(), seriesId, filter, http.RequestAborted);
        return ExportResponse.Stream(http, seriesId, rows, CheckinExportSchema.Schema, fileFormat, json.Value.SerializerOptions);
    }

    public static async Task<PushStreamHttpResult> ExportMetricsAsync(
        Guid seriesId, string? format, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, ExportQueries queries, ExportSlots slots,
        IOptions<HttpJsonOptions> json)
    {
        var fileFormat = ExportFormats.Parse(format, http.Request);
        slots.Take(http);
        var rows = await queries.OpenMetricsAsync(http.Caller(), seriesId, from, to, http.RequestAborted);
        return ExportResponse.Stream(http, seriesId, rows, MetricsExportSchema.Schema, fileFormat, json.Value.SerializerOptions);
    }
}
