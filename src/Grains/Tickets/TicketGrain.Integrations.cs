using EventSeries.Domain.Tickets;
using EventSeries.Persistence.Audit;
using EventSeries.Tickets;

namespace EventSeries.Grains.Tickets;

/// <summary>What incoming webhooks change on a ticket: its payment and its holder.</summary>
public sealed partial class TicketGrain
{
    public async Task<PaymentResult> ApplyPaymentAsync(Caller caller, PaymentUpdate update)
    {
        var ticket = await VisibleAsync(caller, Permission.ManageTickets);
        if (!Enum.IsDefined(update.Outcome))
        {
            throw DomainException.Invalid("type", "Unknown payment event.");
        }

        if (update.Reference is { Length: > 200 })
        {
            throw DomainException.Invalid("reference", "At most 200 characters.");
        }

        var now = time.Now();

        // Decided under the row's lock (the store's), so the ordering rules hold against any writer.
        var decision = await store.ApplyPaymentAsync(
            Id, update.OccurredAt, now,
            (status, lastAt) => PaymentRules.Decide(status, lastAt, update.Outcome, update.OccurredAt),
            (before, d) => AuditEntry.By(
                caller, ticket.OrganizationId, now, "ticket.payment", "ticket", Id,
                new { status = before, ticket.WristbandId },
                new { status = d.Status, payment = Name(update.Outcome), update.OccurredAt, update.Reference }));
        if (decision.Applied && decision.Status != ticket.Status)
        {
            // As for a void: the band's access grain holds the status in memory; tell it before answering.
            await TellWristbandAsync(ticket.EventId, ticket.NfcId);
        }

        return new PaymentResult(Id, decision.Applied, decision.Outcome, decision.Status);
    }

    public async Task<TicketView> SetHolderAsync(Caller caller, string? holderName, string? holderEmail)
    {
        var before = await VisibleAsync(caller, Permission.ManageTickets);
        var errors = new Domain.Validation.FieldErrors();
        errors.LimitText("holderName", holderName, 200);
        if (holderEmail is not null && (holderEmail.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(holderEmail, out _)))
        {
            errors.Add("holderEmail", "Must be an e-mail address.");
        }

        errors.ThrowIfAny();
        if (before.HolderName == holderName && before.HolderEmail == holderEmail)
        {
            return before.For(caller); // nothing to change
        }

        var now = time.Now();

        // The audit trail says that the holder changed and where, not who the holder is.
        await store.SetHolderAsync(Id, holderName, holderEmail, now, AuditEntry.By(
            caller, before.OrganizationId, now, "ticket.holder", "ticket", Id, null, new { before.WristbandId, fields = new[] { "holderName", "holderEmail" } }));
        return (before with { HolderName = holderName, HolderEmail = holderEmail, UpdatedAt = now }).For(caller);
    }
}
