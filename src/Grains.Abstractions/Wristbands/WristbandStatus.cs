namespace EventSeries.Wristbands;

/// <summary>Whether a wristband may be used; only <see cref="Active"/> ones are admitted.</summary>
public enum WristbandStatus
{
    /// <summary>In use.</summary>
    Active = 0,

    /// <summary>Not yet handed out, or parked.</summary>
    Inactive = 1,

    /// <summary>Reported lost by its holder.</summary>
    Lost = 2,

    /// <summary>Reported stolen.</summary>
    Stolen = 3,

    /// <summary>Withdrawn by the organizer.</summary>
    Revoked = 4,
}
