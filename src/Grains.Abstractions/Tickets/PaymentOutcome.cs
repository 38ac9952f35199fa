namespace EventSeries.Tickets;

/// <summary>What a payment provider reports about a ticket's payment.</summary>
public enum PaymentOutcome
{
    /// <summary>Paid: a pending ticket becomes valid.</summary>
    Paid = 0,

    /// <summary>A payment attempt failed: a valid ticket goes back to pending (not admitted); the shop may retry.</summary>
    Failed = 1,

    /// <summary>Paid back: the ticket is refunded, which is final.</summary>
    Refunded = 2,

    /// <summary>The payer's bank took the money back: the ticket is void, which is final.</summary>
    ChargedBack = 3,
}
