using EventSeries.Tickets;

namespace EventSeries.Api.Integrations;

/// <summary>
/// A delivery's body, in the Standard Webhooks shape: <c>{"type": "payment.refunded", "timestamp":
/// "...", "data": {...}}</c>. <see cref="Timestamp"/> is when the event happened at the sender
/// (payments are ordered by it), not when it was sent.
/// </summary>
public sealed class WebhookPayload
{
    /// <summary>The event type, e.g. <c>payment.paid</c> (see docs/architecture.md, "Integrations").</summary>
    public string? Type { get; set; }

    /// <summary>When the event happened at the sender.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public WebhookData? Data { get; set; }
}

/// <summary>
/// The fields events carry; each type reads those it needs. A ticket is named by <see cref="TicketId"/>
/// (ours) or by <see cref="Source"/> and <see cref="ExternalId"/> (the sender's), with
/// <see cref="EventId"/> when the same external id is used in several events.
/// </summary>
public sealed class WebhookData
{
    public Guid? TicketId { get; set; }

    public Guid? EventId { get; set; }

    public string? Source { get; set; }

    public string? ExternalId { get; set; }

    /// <summary>The sender's own id of the payment, refund or chargeback (kept in the audit trail).</summary>
    public string? Reference { get; set; }

    public string? HolderName { get; set; }

    public string? HolderEmail { get; set; }

    /// <summary>A wristband's NFC UID (with <see cref="EventId"/>), for lost and found.</summary>
    public string? NfcId { get; set; }

    public string? TicketType { get; set; }

    public Guid[]? SeriesIds { get; set; }

    public TicketStatus? Status { get; set; }

    public string? Reason { get; set; }
}

/// <summary>
/// The answer to a delivery that was understood: whether it changed anything (<see cref="Applied"/>)
/// and why not (<see cref="Outcome"/>: <c>changed</c>, <c>unchanged</c>, <c>stale</c>, <c>final</c>).
/// </summary>
public sealed record DeliveryResult(string DeliveryId, string Type, bool Applied, string Outcome, Guid? TicketId, Guid? WristbandId, string? Status);
