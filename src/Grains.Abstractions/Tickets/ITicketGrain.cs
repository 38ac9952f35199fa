using EventSeries.Security;

namespace EventSeries.Tickets;

/// <summary>
/// One ticket, keyed by its id: the single writer of its row and its series, and of its pairing
/// with a wristband (the box-office exchange). A change of its status reaches the paired
/// wristband's access grain before the call answers.
/// </summary>
[Alias("es.ticket")]
public interface ITicketGrain : IGrainWithGuidKey
{
    /// <summary>Creates the ticket for an event (its type a category of the event, its series the event's).</summary>
    [Alias("create")]
    Task<TicketView> CreateAsync(Caller caller, Guid eventId, TicketSpec spec);

    /// <summary>The ticket.</summary>
    [Alias("get"), ReadOnly]
    Task<TicketView> GetAsync(Caller caller);

    /// <summary>Replaces the editable fields; a void or refunded ticket is never changed again.</summary>
    [Alias("update")]
    Task<TicketView> UpdateAsync(Caller caller, TicketSpec spec);

    /// <summary>Voids or refunds the ticket; its wristband stops admitting before this answers.</summary>
    [Alias("void")]
    Task<TicketView> VoidAsync(Caller caller, TicketStatus status, string? reason);

    /// <summary>
    /// Pairs a valid ticket with a registered wristband of its event (by NFC UID): the band takes the
    /// ticket's category and is assigned to its series, in one transaction. Pairing another band
    /// than the current one needs <paramref name="replace"/>; the old band is then revoked.
    /// </summary>
    [Alias("exchange")]
    Task<TicketView> ExchangeAsync(Caller caller, string nfcId, bool replace);

    /// <summary>
    /// Applies a payment provider's event (see <see cref="PaymentOutcome"/>): events older than the
    /// last one applied are ignored, and a void or refunded ticket is final. A status change reaches
    /// the paired wristband before this answers.
    /// </summary>
    [Alias("apply-payment")]
    Task<PaymentResult> ApplyPaymentAsync(Caller caller, PaymentUpdate update);

    /// <summary>Sets the holder's name and e-mail, on the ticket and on its paired wristband, in one write.</summary>
    [Alias("set-holder")]
    Task<TicketView> SetHolderAsync(Caller caller, string? holderName, string? holderEmail);
}
