namespace EventSeries.Events;

/// <summary>What a gate is for.</summary>
public enum GateKind
{
    /// <summary>Entrances.</summary>
    Entry = 0,

    /// <summary>Exits.</summary>
    Exit = 1,

    /// <summary>Entrance reserved for VIP guests.</summary>
    Vip = 2,

    /// <summary>Staff and crew entrance.</summary>
    Staff = 3,

    /// <summary>Used in both directions.</summary>
    Mixed = 4,
}
