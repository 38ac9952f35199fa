using System.Diagnostics;
using EventSeries.CheckIns;
using EventSeries.Persistence.Telemetry;

namespace EventSeries.Api.Scans;

/// <summary>
/// What a scan leaves behind besides its answer: the scan counter and latency histogram
/// (<see cref="EventSeriesInstruments"/>), the check-in's id on the request's trace
/// (<c>eventseries.checkin_id</c>, the row's id in <c>checkin_logs</c>), and a Debug log line
/// carrying the same id inside the request's TraceId scope, so log line, trace and row join.
/// </summary>
public sealed partial class ScanTelemetry(ILogger<ScanTelemetry> logger)
{
    public async Task<ScanVerdict> MeasureAsync(Guid? scanId, Func<Task<ScanVerdict>> scan)
    {
        var started = Stopwatch.GetTimestamp();
        ScanVerdict verdict;
        try
        {
            verdict = await scan();
        }
        catch
        {
            // Whatever becomes of the fault (503, 4xx), the gate got no verdict.
            EventSeriesInstruments.ScanDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("result", "unavailable"));
            EventSeriesInstruments.Scans.Add(1, new KeyValuePair<string, object?>("result", "unavailable"));
            throw;
        }

        var result = verdict.Allowed ? "allowed" : "denied";
        EventSeriesInstruments.ScanDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("result", result));

        // Without a listener (no scrape configured) the scan path pays for no tag strings.
        if (EventSeriesInstruments.Scans.Enabled)
        {
            EventSeriesInstruments.Scans.Add(
                1,
                new("result", result),
                new("reason", verdict.Reason),
                new("direction", verdict.Direction == ScanDirection.Out ? "out" : "in"),
                new("gate", verdict.GateId.ToString()));
        }

        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("eventseries.checkin_id", verdict.CheckinId.ToString());
            activity.SetTag("eventseries.scan.result", result);
        }

        LogScanned(logger, scanId, result, verdict.Reason, verdict.GateId, verdict.CheckinId);
        return verdict;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scan {ScanId}: {Result} ({Reason}) at gate {GateId}, check-in {CheckinId}")]
    private static partial void LogScanned(ILogger logger, Guid? scanId, string result, string reason, Guid gateId, Guid checkinId);
}
