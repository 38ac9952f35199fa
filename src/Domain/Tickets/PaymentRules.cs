using EventSeries.Tickets;

namespace EventSeries.Domain.Tickets;

/// <summary>What a payment event does to a ticket (see <see cref="PaymentRules.Decide"/>).</summary>
/// <param name="Applied">Whether the event is recorded (its time becomes the ticket's last payment event).</param>
/// <param name="Status">The ticket's status afterwards.</param>
/// <param name="Outcome">
/// <c>changed</c>, <c>unchanged</c> (recorded, the status already right), <c>stale</c> (older than the
/// last event applied) or <c>final</c> (the ticket is void or refunded).
/// </param>
public sealed record PaymentDecision(bool Applied, TicketStatus Status, string Outcome);

/// <summary>
/// Payment events arrive out of order (providers retry, queues reorder). Two rules make the result
/// independent of arrival order: a ticket keeps the time of the last payment event applied to it
/// and ignores anything older, and a refund or chargeback is final (void and refunded tickets never
/// change again), so a "paid" sent before a refund but delivered after it cannot undo it.
/// </summary>
public static class PaymentRules
{
    public static PaymentDecision Decide(TicketStatus current, DateTimeOffset? lastEventAt, PaymentOutcome outcome, DateTimeOffset occurredAt)
    {
        if (current is TicketStatus.Void or TicketStatus.Refunded)
        {
            return new(false, current, "final");
        }

        if (lastEventAt is { } last && occurredAt <= last)
        {
            return new(false, current, "stale");
        }

        var next = (outcome, current) switch
        {
            (PaymentOutcome.Paid, TicketStatus.Pending) => TicketStatus.Valid,

            // A failed attempt takes back a ticket that counted as paid; a used one was admitted already.
            (PaymentOutcome.Failed, TicketStatus.Valid) => TicketStatus.Pending,
            (PaymentOutcome.Refunded, _) => TicketStatus.Refunded,
            (PaymentOutcome.ChargedBack, _) => TicketStatus.Void,
            _ => current,
        };
        return new(true, next, next == current ? "unchanged" : "changed");
    }
}
