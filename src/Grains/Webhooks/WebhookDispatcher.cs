using EventSeries.Grains.Hosting;
using EventSeries.Persistence.Telemetry;
using EventSeries.Persistence.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// One per silo, every <see cref="WebhookOptions.PollPeriod"/> of the real clock: pumps new check-in
/// log rows into deliveries (one silo at a time: the cursor row is locked), wakes the sender grain
/// of every active subscription with a delivery due (several silos waking the same grain is harmless:
/// it has one activation), and, hourly, deletes finished deliveries past the retention period.
/// The rows are the schedule, so a restart loses nothing: the next poll finds what is due.
/// </summary>
public sealed partial class WebhookDispatcher(
    CheckinPumpStore pump, WebhookOutboxStore outbox, IGrainFactory grains, DomainTime time, TimeProvider clock,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan RetentionPeriod = TimeSpan.FromHours(1);

    /// <summary>How often the backlog is counted for <c>eventseries.webhooks.backlog</c> (a count of a partial index).</summary>
    private static readonly TimeSpan BacklogPeriod = TimeSpan.FromSeconds(15);

    private DateTimeOffset _lastBacklog = DateTimeOffset.MinValue;

    /// <summary>The backlog this silo counted last (null before its first count).</summary>
    public long? Backlog { get; private set; }

    private readonly LogGapTracker _gaps = new(clock, options.Value.GapGrace);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private DateTimeOffset _lastRetention = DateTimeOffset.MinValue;
    private PeriodicWork? _loop;

    public void Participate(ISiloLifecycle lifecycle)
    {
        _loop = new PeriodicWork(options.Value.PollPeriod, clock, PollAsync, e => LogPollFailed(logger, e));
        _loop.RunWhileActive(lifecycle, nameof(WebhookDispatcher));
    }

    /// <summary>One poll now (pump, wake, retention when due); waits for one already running here.</summary>
    public async Task PollAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            // Catch up in batches, but hand the loop back now and then under a flood.
            for (var i = 0; i < 20 && await pump.PumpAsync(options.Value.PumpBatch, _gaps.SafeUpTo, cancellationToken) >= options.Value.PumpBatch; i++)
            {
            }

            foreach (var subscriptionId in await outbox.WithDueWorkAsync(time.Now()))
            {
                await grains.GetGrain<IWebhookSenderGrain>(subscriptionId).WakeAsync();
            }

            if (clock.GetUtcNow() - _lastBacklog >= BacklogPeriod)
            {
                await CountBacklogAsync();
            }

            if (clock.GetUtcNow() - _lastRetention >= RetentionPeriod)
            {
                await DeleteExpiredAsync(cancellationToken);
                _lastRetention = clock.GetUtcNow();
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Counts the deliveries waiting, cluster-wide, for <c>eventseries.webhooks.backlog</c>; returns the count.</summary>
    public async Task<long> CountBacklogAsync()
    {
        var pending = await outbox.PendingCountAsync();
        Backlog = pending;
        EventSeriesInstruments.RecordWebhookBacklog(pending);
        _lastBacklog = clock.GetUtcNow();
        return pending;
    }

    /// <summary>Deletes deliveries (with their attempts) that finished more than <see cref="WebhookOptions.Retention"/> ago by the domain clock; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.Now() - options.Value.Retention;
        var deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await outbox.DeleteFinishedBeforeAsync(cutoff);
            deleted += batch;
            if (batch == 0)
            {
                break;
            }
        }

        return deleted;
    }

    public void Dispose()
    {
        _loop?.Dispose();
        _oneAtATime.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook poll failed; the next one retries.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
