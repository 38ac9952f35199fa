namespace EventSeries.Security;

/// <summary>
/// A member's role in one organization. Higher values include every right of the lower ones
/// (owner &gt; admin &gt; manager &gt; member &gt; viewer), so a check is a single comparison.
/// </summary>
public enum Role
{
    /// <summary>Read only; never sees attendees' personal data.</summary>
    Viewer = 0,

    /// <summary>Views series, check-ins and metrics.</summary>
    Member = 1,

    /// <summary>Creates and edits series, assigns wristbands, runs lifecycle transitions.</summary>
    Manager = 2,

    /// <summary>Manages series, events, gates, categories, members (not owners) and tokens.</summary>
    Admin = 3,

    /// <summary>Everything, including managing owners and deleting the organization.</summary>
    Owner = 4,
}
