namespace EventSeries.Events;

/// <summary>Whether a gate is in service.</summary>
public enum GateStatus
{
    /// <summary>Scanning at this gate is possible.</summary>
    Open = 0,

    /// <summary>The gate is out of service; its scans are refused.</summary>
    Closed = 1,
}
