using Dapper;
using EventSeries.Domain.Tickets;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Errors;
using EventSeries.Tickets;

namespace EventSeries.Persistence.Tickets;

/// <summary>The writes incoming webhooks make to a ticket: payment events and its holder's data.</summary>
public sealed partial class TicketStore
{
    /// <summary>
    /// Applies a payment event under the ticket's row lock: <paramref name="decide"/> sees the status
    /// and the last payment event's time as they are now, so two events at once are ordered by the
    /// lock, not by who read first. Records the event (and <paramref name="audit"/>'s entry) only
    /// when the decision applies it. Not found when the ticket is gone.
    /// </summary>
    public async Task<PaymentDecision> ApplyPaymentAsync(
        Guid ticketId, DateTimeOffset occurredAt, DateTimeOffset now, Func<TicketStatus, DateTimeOffset?, PaymentDecision> decide, Func<TicketStatus, PaymentDecision, AuditEntry> audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var row = (await connection.QueryAsync<(string Status, DateTime? PaymentEventAt)>(
            "SELECT status, payment_event_at FROM tickets WHERE id = @ticketId FOR UPDATE", new { ticketId }, tx))
            .Cast<(string Status, DateTime? PaymentEventAt)?>().FirstOrDefault() ?? throw new RowNotFoundException("Ticket");
        var before = DbText.FromDb<TicketStatus>(row.Status);
        var decision = decide(before, DbText.Utc(row.PaymentEventAt));
        if (decision.Applied)
        {
            await connection.ExecuteAsync(
                "UPDATE tickets SET status = @status, payment_event_at = @at, updated_at = @now WHERE id = @ticketId",
                new { ticketId, status = decision.Status.ToDb(), at = occurredAt.UtcDateTime, now = now.UtcDateTime }, tx);
            await AuditTrail.AppendAsync(connection, tx, audit(before, decision));
        }

        await tx.CommitAsync();
        return decision;
    }

    /// <summary>Sets the holder's name and e-mail on the ticket and on its paired wristband (if any) in one transaction.</summary>
    public async Task SetHolderAsync(Guid ticketId, string? holderName, string? holderEmail, DateTimeOffset now, AuditEntry audit)
    {
        var args = new { ticketId, holderName, holderEmail, now = now.UtcDateTime };
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var band = (await connection.QueryAsync<Guid?>(
            """
            UPDATE tickets SET holder_name = @holderName, holder_email = @holderEmail, updated_at = @now
            WHERE id = @ticketId RETURNING wristband_id
            """,
            args, tx)).ToList();
        if (band.Count == 0)
        {
            throw new RowNotFoundException("Ticket");
        }

        if (band[0] is { } wristbandId)
        {
            await connection.ExecuteAsync(
                "UPDATE wristbands SET holder_name = @holderName, holder_email = @holderEmail, updated_at = @now WHERE id = @wristbandId",
                new { wristbandId, holderName, holderEmail, now = now.UtcDateTime }, tx);
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }
}
