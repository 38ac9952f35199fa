namespace EventSeries.Persistence.Errors;

/// <summary>
/// The row a write or a scoped read needs is not there (or belongs to an organization the caller
/// cannot see, which must look the same). Turned into the domain's not-found (404) at the boundary.
/// </summary>
public sealed class RowNotFoundException(string resource) : Exception($"{resource} was not found.")
{
    /// <summary>What was looked for, as the answer names it ("Series", "Check-in").</summary>
    public string Resource { get; } = resource;
}
