namespace EventSeries.CheckIns;

/// <summary>What a row of the check-in log records. Stored and shown in lowercase ("allowed").</summary>
public enum CheckinResult
{
    /// <summary>The scan was admitted (an entry or an exit).</summary>
    Allowed = 0,

    /// <summary>The scan was refused; the row's reason says why.</summary>
    Denied = 1,

    /// <summary>An earlier admitted entry was taken back (the turnstile did not turn); the row names it in <c>annuls</c>.</summary>
    Annulled = 2,
}
