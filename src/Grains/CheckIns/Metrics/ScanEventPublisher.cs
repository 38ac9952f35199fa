using System.Collections.Concurrent;
using EventSeries.CheckIns;
using EventSeries.Grains.Gates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace EventSeries.Grains.CheckIns.Metrics;

/// <summary>
/// Publishes logged scans on the <c>scans</c> stream, batched per series every
/// <see cref="FlushInterval"/> on each silo: one stream item per series per flush instead of one
/// per scan, well inside the one-second metrics lag.
/// </summary>
public sealed partial class ScanEventPublisher(IClusterClient client, ILogger<ScanEventPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<ScanEvent> _pending = new();

    private readonly ConcurrentQueue<ScanEvent> _gateOnly = new();

    /// <summary>Queues a scan whose log row has committed.</summary>
    public void Publish(ScanEvent scan) => _pending.Enqueue(scan);

    /// <summary>
    /// Queues a committed scan of no series (an unknown wristband, say) for its gate's counts only:
    /// no series stream carries it, so it goes to the gate's grain directly, one way, with the next flush.
    /// </summary>
    public void PublishToGate(ScanEvent scan) => _gateOnly.Enqueue(scan);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync();
        }
    }

    private async Task FlushAsync()
    {
        FlushToGates();
        if (_pending.IsEmpty)
        {
            return;
        }

        var drained = new List<ScanEvent>();
        while (_pending.TryDequeue(out var scan))
        {
            drained.Add(scan);
        }

        var provider = client.GetStreamProvider(ScanStream.Provider);
        foreach (var series in drained.GroupBy(s => s.SeriesId))
        {
            try
            {
                var stream = provider.GetStream<ScanEventBatch>(StreamId.Create(ScanStream.Namespace, series.Key));
                await stream.OnNextAsync(new ScanEventBatch([.. series]));
            }
            catch (Exception e)
            {
                // Metrics are rebuilt from the log, so a lost batch costs freshness, not truth.
                LogPublishFailed(logger, e, series.Count(), series.Key);
            }
        }
    }

    private void FlushToGates()
    {
        var drained = new List<ScanEvent>();
        while (_gateOnly.TryDequeue(out var scan))
        {
            drained.Add(scan);
        }

        foreach (var gate in drained.GroupBy(s => s.GateId))
        {
            // One way: returns once sent; a gate's live counts are memory only, the log keeps every scan.
            client.GetGrain<IGateActivityGrain>(gate.Key).RecordAsync([.. gate]).Ignore();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Count} scans of series {SeriesId}; metrics will catch up from the log.")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int count, Guid seriesId);
}
