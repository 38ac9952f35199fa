using EventSeries.Security;

namespace EventSeries.Gates;

/// <summary>
/// One gate's live state, keyed by the gate's id: open or closed (the gate's row, written by its
/// event's grain), scans and denials per minute, the last scan, who scanned there in the last
/// minute, and whether it looks jammed. Fed from the scan stream, never on a scan's own path; held
/// in memory (a new activation starts counting afresh; the log keeps the truth, see the metrics export).
/// </summary>
[Alias("es.gate")]
public interface IGateGrain : IGrainWithGuidKey
{
    /// <summary>The live state, for someone who may view the gate's event (404 otherwise).</summary>
    [Alias("live"), ReadOnly]
    Task<GateLiveView> GetLiveAsync(Caller caller, Guid eventId);
}
