using EventSeries.Persistence.Secrets;
using EventSeries.Persistence.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// Sends one subscription's deliveries while it has any due, from a grain timer (so grain calls are
/// never held by a slow receiver: only its own queue waits). Each ordering key (series) sends its
/// oldest pending delivery and moves on only after a 2xx, so receivers see each series in order;
/// different series go out side by side. Every attempt is recorded before the next one starts, so
/// a silo that dies mid-attempt costs at most that attempt again, with the same webhook-id.
/// </summary>
[GrainType("webhook-sender")]
public sealed partial class WebhookSenderGrain(
    WebhookOutboxStore outbox, WebhookHttpSender sender, SecretProtector protector, DomainTime time, IOptions<WebhookOptions> options, ILogger<WebhookSenderGrain> logger)
    : Grain, IWebhookSenderGrain
{
    // Heads sent side by side per round: distinct series, so order holds; bounded so one subscriber
    // with thousands of series takes a bounded share of the silo.
    private const int HeadsPerRound = 16;

    // A timer tick keeps going round after round while deliveries succeed, up to this long, so a busy
    // series is not held to one delivery per period.
    private static readonly TimeSpan TickBudget = TimeSpan.FromSeconds(2);

    private IGrainTimer? _timer;

    private Guid SubscriptionId => this.GetPrimaryKey();

    public Task WakeAsync()
    {
        _timer ??= this.RegisterGrainTimer(SendDueAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.SendPeriod) { KeepAlive = true });
        return Task.CompletedTask;
    }

    private async Task SendDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            var started = DateTime.UtcNow;
            while (!cancellationToken.IsCancellationRequested)
            {
                var subscription = await outbox.LoadAsync(SubscriptionId);
                if (subscription is null || subscription.Paused)
                {
                    Sleep();
                    return;
                }

                var key = protector.Decrypt(subscription.OrganizationId, SecretProtector.WebhookOutPurpose, subscription.Id, subscription.Ciphertext);
                if (key is null)
                {
                    // Sending unsigned is not an option; the key changed (key_id says which one encrypted it).
                    LogCannotDecrypt(logger, SubscriptionId, subscription.KeyId);
                    Sleep();
                    return;
                }

                var due = await outbox.DueAsync(SubscriptionId, time.Now(), HeadsPerRound);
                if (due.Count == 0)
                {
                    // Retries that are not due yet: the dispatcher wakes this grain again when they are.
                    Sleep();
                    return;
                }

                var results = await Task.WhenAll(due.Select(d => AttemptAsync(subscription, key, d, cancellationToken)));
                if (results.Contains(Outcome.Paused) || !results.Contains(Outcome.Delivered) || DateTime.UtcNow - started > TickBudget)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database away, most likely: the next tick (or the dispatcher's next wake) tries again.
            LogTickFailed(logger, e, SubscriptionId);
        }
    }

    private async Task<Outcome> AttemptAsync(SenderSubscription subscription, byte[] key, DueDelivery delivery, CancellationToken cancellationToken)
    {
        var now = time.Now();
        var body = WebhookBody.Write(delivery.EventType, delivery.Occurred, delivery.Data);
        var attempt = await sender.SendAsync(subscription.Url, key, delivery.Id, body, now, cancellationToken);
        if (attempt.StatusCode is >= 200 and < 300)
        {
            await outbox.RecordSuccessAsync(SubscriptionId, delivery.Id, attempt);
            return Outcome.Delivered;
        }

        var opts = options.Value;
        var retryAt = WebhookBackoff.RetryAt(delivery.Attempts + 1, delivery.FirstAttempt ?? now, now, opts, Random.Shared);
        var paused = await outbox.RecordFailureAsync(SubscriptionId, delivery.Id, attempt, retryAt, opts.PauseAfterFailures, opts.PauseAfterPeriod);
        if (paused)
        {
            LogPaused(logger, SubscriptionId, attempt.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? attempt.Error ?? "");
            Sleep();
            return Outcome.Paused;
        }

        return Outcome.Failed;
    }

    private void Sleep()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private enum Outcome
    {
        Delivered,
        Failed,
        Paused,
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook subscription {SubscriptionId}: its secret does not decrypt with the configured key (it was encrypted with key {KeyId}); nothing is sent.")]
    private static partial void LogCannotDecrypt(ILogger logger, Guid subscriptionId, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} paused after repeated failures (last: {Last}).")]
    private static partial void LogPaused(ILogger logger, Guid subscriptionId, string last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId}: a send round failed; the next one retries.")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, Guid subscriptionId);
}
