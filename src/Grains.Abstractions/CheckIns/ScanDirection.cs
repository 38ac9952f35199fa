namespace EventSeries.CheckIns;

/// <summary>Which way the wristband holder passes the gate.</summary>
public enum ScanDirection
{
    /// <summary>Entering.</summary>
    In = 0,

    /// <summary>Leaving.</summary>
    Out = 1,
}
