using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Api.Scans;
using EventSeries.CheckIns;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Endpoints;

/// <summary>The check-in path: scans, verification, annulment, the log and what scanners need.</summary>
public static class CheckInEndpoints
{
    /// <summary>
    /// The endpoints a scanner device may call as well as a person: scan, verify, scannable, and
    /// annul (a device only its own entries, checked by the wristband's grain: the handheld is the
    /// one that sees the turnstile did not turn).
    /// </summary>
    public static IEndpointRouteBuilder MapScannerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events/{eventId:guid}/scans", ScanAsync).WithTags("Check-ins").WithName("Scan")
            .WithSummary("A scanner's call: ALLOW or DENY with a reason (200 for every decided scan), against the event's open series.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        var series = app.MapGroup("/api/series").WithTags("Check-ins");
        series.MapGet("/scannable", ListScannableAsync).WithName("ListScannableSeries")
            .WithSummary("Series of the caller's events whose check-in window is open now or opens within the hour, with gates and windows (a device: its event and gates).");
        series.MapPost("/{seriesId:guid}/checkins/verify", VerifyAsync).WithName("VerifyCheckin")
            .WithSummary("The same check as a scan, against this series only.").ProducesProblem(StatusCodes.Status409Conflict);
        series.MapPost("/{seriesId:guid}/checkins/{checkinId:guid}/annul", AnnulAsync).WithName("AnnulCheckin")
            .WithSummary("Undoes an allowed entry that did not happen: the same scanner (person or device) or a manager, within 15 minutes.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>The rest of the check-in endpoints, for people only.</summary>
    public static IEndpointRouteBuilder MapCheckInEndpoints(this IEndpointRouteBuilder app)
    {
        var series = app.MapGroup("/api/series").WithTags("Check-ins");
        series.MapGet("/{seriesId:guid}/checkins", ListAsync).WithName("ListCheckins")
            .WithSummary("The check-in log, newest first; filter by gateId, result (allowed/denied/annulled), reason, from/to; paged.");
        return app;
    }

    /// <summary>One grain call, within the scan deadline; retried with the same scanId on a transient fault (<see cref="ScanRetry"/>).</summary>
    public static async Task<Ok<ScanVerdict>> ScanAsync(Guid eventId, ScanRequest request, HttpContext http, IGrainFactory grains, ScanRetry retry, ScanTelemetry telemetry)
    {
        var scan = request.ToCommand(http.Caller(), eventId, null);
        var access = grains.Reference<IWristbandAccessGrain>(AccessKey.For(eventId, scan.NfcId));
        return TypedResults.Ok(await telemetry.MeasureAsync(scan.ScanId, () => retry.RunAsync(http, scan.ScanId, () => access.ScanAsync(scan))));
    }

    /// <summary>As <see cref="ScanAsync"/>; the series' event is looked up inside each attempt, so the deadline covers it too.</summary>
    public static async Task<Ok<ScanVerdict>> VerifyAsync(
        Guid seriesId, ScanRequest request, HttpContext http, IGrainFactory grains, CheckinQueries queries, ScanRetry retry, ScanTelemetry telemetry)
    {
        var caller = http.Caller();
        return TypedResults.Ok(await telemetry.MeasureAsync(request.ScanId, () => retry.RunAsync(http, request.ScanId, async () =>
        {
            var eventId = await queries.FindSeriesEventAsync(caller, seriesId, mustExist: false);
            var scan = request.ToCommand(caller, eventId, seriesId);
            return await grains.Reference<IWristbandAccessGrain>(AccessKey.For(eventId, scan.NfcId)).ScanAsync(scan);
        })));
    }

    public static async Task<Ok<ScanVerdict>> AnnulAsync(Guid seriesId, Guid checkinId, HttpContext http, IGrainFactory grains, CheckinQueries queries)
    {
        var caller = http.Caller();
        var (eventId, nfcId) = await queries.FindCheckinAsync(caller, seriesId, checkinId);
        return TypedResults.Ok(await grains.Reference<IWristbandAccessGrain>(AccessKey.For(eventId, nfcId)).AnnulAsync(caller, seriesId, checkinId));
    }

    public static async Task<Ok<Page<CheckinLogEntry>>> ListAsync(
        Guid seriesId, Guid? gateId, string? result, string? reason, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        HttpContext http, CheckinQueries queries)
    {
        return TypedResults.Ok(await queries.ListAsync(http.Caller(), seriesId, CheckinFilters.Parse(gateId, result, reason, from, to), Paging.From(page, pageSize)));
    }

    public static async Task<Ok<IReadOnlyList<ScannableSeries>>> ListScannableAsync(Guid? eventId, HttpContext http, CheckinQueries queries, DomainTime time)
    {
        var caller = http.Caller();
        if (caller.Scanner is not { } scope)
        {
            return TypedResults.Ok(await queries.ListScannableAsync(caller, time.Now(), eventId));
        }

        // A device sees its own event only, and of each series only the gates it may scan at.
        if (eventId is { } asked && asked != scope.EventId)
        {
            throw DomainException.Forbidden("This scanner device is registered for another event.");
        }

        var series = await queries.ListScannableAsync(caller, time.Now(), scope.EventId);
        return TypedResults.Ok<IReadOnlyList<ScannableSeries>>(scope.GateIds.IsDefaultOrEmpty
            ? series
            : [.. series.Select(s => s with { Gates = [.. s.Gates.Where(g => scope.GateIds.Contains(g.Id))] })]);
    }
}
