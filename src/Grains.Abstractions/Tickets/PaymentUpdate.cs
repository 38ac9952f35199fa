namespace EventSeries.Tickets;

/// <summary>A payment event for one ticket, with the time it happened at the provider (not when it arrived).</summary>
[GenerateSerializer, Immutable, Alias("es.ticket.payment-update")]
public sealed record class PaymentUpdate(
    [property: Id(0)] PaymentOutcome Outcome,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] string? Reference);
