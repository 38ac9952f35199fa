namespace EventSeries.Integrations;

/// <summary>
/// Which system sends webhooks in. Each kind of an organization has its own signing secrets, so a
/// leaked CRM secret cannot forge payments, and each is rotated on its own schedule.
/// </summary>
public enum IntegrationKind
{
    /// <summary>A payment provider: paid, failed, refunded, charged back.</summary>
    Payments = 0,

    /// <summary>A CRM: attendees' names and e-mails, wristbands reported lost or found.</summary>
    Crm = 1,

    /// <summary>A ticket shop: tickets issued and cancelled.</summary>
    Tickets = 2,
}
