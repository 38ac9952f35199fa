namespace EventSeries.Grains.Webhooks;

/// <summary>A webhook URL's host resolved to an address outgoing webhooks may not reach (see <c>WebhookAddressRules</c>).</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
