using System.Diagnostics.Metrics;

namespace EventSeries.Persistence.Telemetry;

/// <summary>
/// The system's own instruments, in one place (docs/observability.md lists each with a PromQL line).
/// One static meter: every host in a process reports into it, which is what an exporter expects.
/// Tags are bounded: results, reasons, directions, kinds and outcomes are small fixed sets; a gate
/// id is one of an event's few gates.
/// </summary>
public static class EventSeriesInstruments
{
    /// <summary>The meter's name, to subscribe to (<c>AddMeter</c>).</summary>
    public const string MeterName = "EventSeries";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Scans answered by the API: tags <c>result</c> (allowed, denied, unavailable), <c>reason</c>, <c>direction</c>, <c>gate</c>.</summary>
    public static readonly Counter<long> Scans = Meter.CreateCounter<long>(
        "eventseries.scans", "{scan}", "Scans answered, by result, reason, direction and gate.");

    /// <summary>From the scan request's arrival to its answer, retries included: tag <c>result</c>.</summary>
    public static readonly Histogram<double> ScanDuration = Meter.CreateHistogram(
        "eventseries.scan.duration", "s", "Time to answer a scan, retries within the deadline included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Rows per group commit of the check-in log.</summary>
    public static readonly Histogram<int> LogBatchSize = Meter.CreateHistogram(
        "eventseries.checkin_log.batch.size", "{row}", "Check-in rows written by one COPY (one commit).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] });

    /// <summary>One group commit of the check-in log, COPY to durable commit: tag <c>outcome</c> (committed, failed).</summary>
    public static readonly Histogram<double> LogCommitDuration = Meter.CreateHistogram(
        "eventseries.checkin_log.commit.duration", "s", "Time of one check-in log COPY until it is durable.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    /// <summary>A committed scan's age when the metrics grain folds it in from the scan stream.</summary>
    public static readonly Histogram<double> ScanStreamLag = Meter.CreateHistogram(
        "eventseries.scan_stream.lag", "s", "Age of a scan event when the series' metrics receive it from the stream.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Rows of finished import jobs: tags <c>kind</c> (wristbands, tickets), <c>outcome</c> (created, updated, unchanged, rejected).</summary>
    public static readonly Counter<long> ImportRows = Meter.CreateCounter<long>(
        "eventseries.import.rows", "{row}", "Rows of finished imports, by kind and outcome.");

    private static long _webhookBacklog = -1;

    /// <summary>
    /// Outgoing webhook deliveries waiting (pending, paused subscriptions' included), cluster-wide, as
    /// last counted by this process's silo (every 15 s); absent until counted once.
    /// </summary>
    public static readonly ObservableGauge<long> WebhookBacklog = Meter.CreateObservableGauge(
        "eventseries.webhooks.backlog", ObserveWebhookBacklog, "{delivery}", "Outgoing webhook deliveries not yet delivered or given up.");

    /// <summary>Stores the latest count of the outgoing webhook backlog.</summary>
    public static void RecordWebhookBacklog(long pending) => Interlocked.Exchange(ref _webhookBacklog, pending);

    private static IEnumerable<Measurement<long>> ObserveWebhookBacklog()
    {
        var pending = Interlocked.Read(ref _webhookBacklog);
        return pending < 0 ? [] : [new Measurement<long>(pending)];
    }

    /// <summary>Incoming webhook deliveries answered: tags <c>kind</c> (payments, crm, tickets) and <c>status</c> (the HTTP status).</summary>
    public static readonly Counter<long> WebhooksReceived = Meter.CreateCounter<long>(
        "eventseries.webhooks.received", "{delivery}", "Incoming webhook deliveries, by integration kind and answer status.");
}
