namespace EventSeries.Security;

/// <summary>The role matrix: the lowest role that holds each permission.</summary>
public static class RolePolicy
{
    /// <summary>The lowest role allowed to perform <paramref name="permission"/>.</summary>
    public static Role MinimumRole(Permission permission) => permission switch
    {
        Permission.View => Role.Viewer,
        Permission.Scan => Role.Member,
        Permission.AnnulOthersScans => Role.Manager,
        Permission.EditSeries => Role.Manager,
        Permission.AssignWristbands => Role.Manager,
        Permission.TransitionSeries => Role.Manager,
        Permission.DeleteSeries => Role.Manager,
        Permission.ManageEvents => Role.Admin,
        Permission.ManageWristbands => Role.Manager,
        Permission.DeleteEvents => Role.Admin,
        Permission.ManageMembers => Role.Admin,
        Permission.ManageOwners => Role.Owner,
        Permission.DeleteOrganization => Role.Owner,
        Permission.ManageDevices => Role.Admin,
        Permission.ViewAudit => Role.Admin,
        Permission.ViewPersonalData => Role.Member,
        Permission.RecomputeMetrics => Role.Member,
        Permission.ManageTickets => Role.Manager,
        Permission.ManageIntegrations => Role.Admin,
        Permission.ManageWebhooks => Role.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "Unknown permission."),
    };

    /// <summary>Whether <paramref name="role"/> holds <paramref name="permission"/>.</summary>
    public static bool Allows(Role role, Permission permission) => role >= MinimumRole(permission);
}
