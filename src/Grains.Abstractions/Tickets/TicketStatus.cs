namespace EventSeries.Tickets;

/// <summary>Where a ticket stands; a wristband paired to a ticket is admitted only while it is <see cref="Valid"/>.</summary>
public enum TicketStatus
{
    /// <summary>Paid and usable: may be exchanged for a wristband, whose access it carries.</summary>
    Valid = 0,

    /// <summary>Cancelled by the organizer; final.</summary>
    Void = 1,

    /// <summary>Paid back; final.</summary>
    Refunded = 2,

    /// <summary>Used up (e.g. a single-use ticket consumed); may be made valid again.</summary>
    Used = 3,

    /// <summary>Awaiting payment (from a ticket shop): admits nobody until a payment makes it valid.</summary>
    Pending = 4,
}
