using EventSeries.Domain.CheckIns;
using EventSeries.CheckIns;

namespace EventSeries.Grains.CheckIns;

/// <summary>
/// What an access grain holds: its wristband, assignments, presence per series and recent verdicts.
/// A silo holds a million of these, so the per-series data are small arrays (a wristband belongs to
/// a few series) rather than hash sets and dictionaries, which cost several hundred bytes each.
/// </summary>
internal sealed class AccessState(AccessSnapshot snapshot, DateTimeOffset loadedAt)
{
    // Enough for any scanner's quick retries; older scan ids are found through the log's unique index.
    private const int MaxRememberedVerdicts = 256;

    // Allocated on the first scan with a scan id: most of a million wristbands never need them.
    private Dictionary<Guid, ScanVerdict>? _verdicts;
    private Queue<Guid>? _verdictOrder;

    private SeriesPresence[] _presence = [.. snapshot.Presence.Select(p => new SeriesPresence(p.Key, p.Value))];

    public WristbandInfo? Wristband { get; set; } = snapshot.Wristband;

    /// <summary>The series the wristband is assigned to.</summary>
    public ImmutableArray<Guid> Assigned { get; private set; } = [.. snapshot.AssignedSeries];

    /// <summary>When the snapshot was read: assignments added later are found by reading again.</summary>
    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>The event's wristbands version the snapshot was read at (see <see cref="EventRules.WristbandsVersion"/>).</summary>
    public long WristbandsVersion { get; } = snapshot.WristbandsVersion;

    public void Unassign(Guid seriesId) => Assigned = Assigned.Remove(seriesId);

    public Presence PresenceIn(Guid seriesId)
    {
        foreach (var entry in _presence)
        {
            if (entry.SeriesId == seriesId)
            {
                return entry.Presence;
            }
        }

        return Presence.None;
    }

    public void SetPresence(Guid seriesId, Presence presence)
    {
        for (var i = 0; i < _presence.Length; i++)
        {
            if (_presence[i].SeriesId == seriesId)
            {
                _presence[i] = new SeriesPresence(seriesId, presence);
                return;
            }
        }

        _presence = [.. _presence, new SeriesPresence(seriesId, presence)];
    }

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

    private readonly record struct SeriesPresence(Guid SeriesId, Presence Presence);
}
