namespace EventSeries.Security;

/// <summary>
/// Every guarded action. Endpoints and grains ask for a permission, never for a role, so the
/// role matrix lives in exactly one place (<see cref="RolePolicy"/>).
/// </summary>
public enum Permission
{
    /// <summary>See the organization, its events, gates and series.</summary>
    View,

    /// <summary>Scan wristbands at a gate (and read what a scanner needs).</summary>
    Scan,

    /// <summary>Undo an allowed entry scanned by someone else.</summary>
    AnnulOthersScans,

    /// <summary>Create and edit series, their gates and category limits.</summary>
    EditSeries,

    /// <summary>Assign wristbands to series and remove them.</summary>
    AssignWristbands,

    /// <summary>Move a series through its lifecycle.</summary>
    TransitionSeries,

    /// <summary>Delete a (draft or cancelled) series.</summary>
    DeleteSeries,

    /// <summary>Create and edit events and their categories and gates.</summary>
    ManageEvents,

    /// <summary>Register wristbands and change their status (lost, stolen, revoked...).</summary>
    ManageWristbands,

    /// <summary>Delete an event.</summary>
    DeleteEvents,

    /// <summary>Add members below owner and issue or revoke their tokens.</summary>
    ManageMembers,

    /// <summary>Add owners, issue owners' tokens.</summary>
    ManageOwners,

    /// <summary>Delete the organization.</summary>
    DeleteOrganization,

    /// <summary>Register and revoke scanner devices.</summary>
    ManageDevices,

    /// <summary>Read the audit trail.</summary>
    ViewAudit,

    /// <summary>See attendees' personal data (wristband holders' names and e-mails).</summary>
    ViewPersonalData,

    /// <summary>Recompute a series' metrics from the log, which rewrites its cache row (a write, so not for viewers).</summary>
    RecomputeMetrics,

    /// <summary>Create, edit, void and refund tickets, and exchange them for wristbands at the box office.</summary>
    ManageTickets,

    /// <summary>Create, rotate and revoke the signing secrets of incoming webhooks (payments, CRM, ticket shop).</summary>
    ManageIntegrations,

    /// <summary>Subscribe URLs to outgoing webhooks, see their deliveries, pause, resume, replay and rotate their secrets.</summary>
    ManageWebhooks,
}
