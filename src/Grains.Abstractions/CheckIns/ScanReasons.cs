namespace EventSeries.CheckIns;

/// <summary>The <c>reason</c> of a scan verdict: stable strings scanners switch on.</summary>
public static class ScanReasons
{
    public const string Ok = "ok";
    public const string UnknownWristband = "unknown_wristband";
    public const string WristbandInactive = "wristband_inactive";
    public const string NoActiveSeries = "no_active_series";
    public const string SeriesNotActive = "series_not_active";
    public const string OutsideWindow = "outside_window";
    public const string NotAssigned = "not_assigned";
    public const string GateNotAllowed = "gate_not_allowed";
    public const string CapacityReached = "capacity_reached";
    public const string AlreadyInside = "already_inside";
    public const string NotInside = "not_inside";

    /// <summary>The wristband's ticket is no longer valid (detail: its status, e.g. <c>void</c> or <c>refunded</c>).</summary>
    public const string TicketVoid = "ticket_void";

    /// <summary>The reason of an annulment row in the log (never a scan verdict).</summary>
    public const string Annulled = "annulled";

    /// <summary>Every reason a scan can be denied for, for filters and metrics.</summary>
    public static readonly ImmutableArray<string> All =
    [
        Ok, UnknownWristband, WristbandInactive, NoActiveSeries, SeriesNotActive, OutsideWindow,
        NotAssigned, GateNotAllowed, CapacityReached, AlreadyInside, NotInside, TicketVoid,
    ];
}
