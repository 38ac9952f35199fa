using Orleans.Concurrency;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// The sender of one subscription, keyed by its id: a single activation in the cluster, so one
/// sender per subscription, never two in parallel. Declared here, not in Grains.Abstractions: only
/// silos (the dispatcher, the subscriptions grain) wake it.
/// </summary>
[Alias("es.webhook-sender")]
public interface IWebhookSenderGrain : IGrainWithGuidKey
{
    /// <summary>Starts sending if it is not already: it works through what is due, then sleeps. One-way: the waker never waits.</summary>
    [Alias("wake"), OneWay]
    Task WakeAsync();
}
