using EventSeries.CheckIns;
using EventSeries.Persistence.CheckIns;

namespace EventSeries.Grains.CheckIns;

/// <summary>What an access grain holds: its wristband, assignments, presence per series and recent verdicts.</summary>
internal sealed class AccessState(AccessSnapshot snapshot, DateTimeOffset loadedAt)
{
    // Enough for any scanner's quick retries; older scan ids are found through the log's unique index.
    private const int MaxRememberedVerdicts = 256;

    // Allocated on the first scan with a scan id: most of a million wristbands never need them.
    private Dictionary<Guid, ScanVerdict>? _verdicts;
    private Queue<Guid>? _verdictOrder;

    public WristbandInfo? Wristband { get; set; } = snapshot.Wristband;

    public HashSet<Guid> Assigned { get; } = [.. snapshot.AssignedSeries];

    public Dictionary<Guid, Presence> Presence { get; } = new(snapshot.Presence);

    /// <summary>When the snapshot was read: assignments added later are found by reading again.</summary>
    public DateTimeOffset LoadedAt { get; } = loadedAt;

    public Presence PresenceIn(Guid seriesId) => Presence.GetValueOrDefault(seriesId, Persistence.CheckIns.Presence.None);

    public ScanVerdict? VerdictFor(Guid? scanId) => scanId is { } id && _verdicts is not null && _verdicts.TryGetValue(id, out var verdict) ? verdict : null;

    public void Remember(Guid scanId, ScanVerdict verdict)
    {
        _verdicts ??= [];
        _verdictOrder ??= new();
        if (_verdicts.TryAdd(scanId, verdict))
        {
            _verdictOrder.Enqueue(scanId);
            while (_verdictOrder.Count > MaxRememberedVerdicts)
            {
                _verdicts.Remove(_verdictOrder.Dequeue());
            }
        }
    }
}
