namespace EventSeries.Persistence.Errors;

/// <summary>
/// A write refused by what the database holds (a version that moved on, a name or NFC UID already
/// taken, rows that must go first). The store says what it found; the silo's grain call filter
/// and the API's error handler turn it into the domain's conflict (409) at the boundary.
/// </summary>
public sealed class WriteConflictException(string code, string message) : Exception(message)
{
    /// <summary>A stable, machine-readable code such as <c>stale_series</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The series' row moved on since it was read: a single writer never sees this unless a second one raced it.</summary>
    public static WriteConflictException StaleSeries() => new("stale_series", "The series was changed elsewhere; reload it and try again.");
}
