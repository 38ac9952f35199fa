namespace EventSeries.Tickets;

/// <summary>
/// What a payment event did: <see cref="Applied"/> false when it was ignored, with the reason in
/// <see cref="Outcome"/> (<c>stale</c>: older than the last one applied; <c>final</c>: the ticket is
/// void or refunded; <c>no_change</c>: the ticket already was what the event asks).
/// </summary>
[GenerateSerializer, Immutable, Alias("es.ticket.payment-result")]
public sealed record class PaymentResult(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] bool Applied,
    [property: Id(2)] string Outcome,
    [property: Id(3)] TicketStatus Status);
