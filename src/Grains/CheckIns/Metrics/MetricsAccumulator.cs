using EventSeries.CheckIns;

namespace EventSeries.Grains.CheckIns.Metrics;

/// <summary>
/// Folds scan events into a series' numbers. The rules match the SQL in <c>MetricsStore</c>, so the
/// stream-fed numbers and a recompute from the log agree: an annulment takes its entry back out of
/// the allowed counts, occupancy is the sum of occupancy changes, and a wristband counts as unique
/// while it has an admitted, not annulled, entry.
/// </summary>
public sealed class MetricsAccumulator
{
    private readonly Dictionary<string, long> _deniedByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (long Allowed, long Denied)> _perGate = [];
    private readonly Dictionary<string, (long Allowed, long Denied)> _perCategory = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateTimeOffset, (long Allowed, long Denied)> _perMinute = [];
    private readonly Dictionary<Guid, int> _admissions = [];

    public long Allowed { get; private set; }

    public long Denied { get; private set; }

    public long Occupancy { get; private set; }

    public long UniqueWristbands { get; private set; }

    public void Apply(ScanEvent scan)
    {
        var (allowed, denied) = scan.Result switch
        {
            CheckinResult.Allowed => (1, 0),
            CheckinResult.Annulled => (-1, 0),
            _ => (0, 1),
        };
        Allowed += allowed;
        Denied += denied;
        Occupancy += scan.OccupancyDelta;
        if (denied > 0)
        {
            _deniedByReason[scan.Reason] = _deniedByReason.GetValueOrDefault(scan.Reason) + 1;
        }

        Add(_perGate, scan.GateId, allowed, denied);
        Add(_perCategory, scan.Category ?? "unknown", allowed, denied);
        Add(_perMinute, Minute(scan.At), allowed, denied);
        if (scan.Direction == ScanDirection.In && scan.WristbandId is { } wristband && allowed != 0)
        {
            var before = _admissions.GetValueOrDefault(wristband);
            var after = before + allowed;
            _admissions[wristband] = after;
            UniqueWristbands += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
        }
    }

    public SeriesMetrics ToMetrics(Guid seriesId, DateTimeOffset computedAt) => new(
        seriesId,
        computedAt,
        Allowed + Denied,
        Allowed,
        Denied,
        _deniedByReason.ToImmutableSortedDictionary(StringComparer.Ordinal),
        UniqueWristbands,
        Occupancy,
        _perGate.ToImmutableSortedDictionary(g => g.Key, g => new ScanCounts(g.Value.Allowed + g.Value.Denied, g.Value.Allowed, g.Value.Denied)),
        _perCategory.ToImmutableSortedDictionary(c => c.Key, c => new ScanCounts(c.Value.Allowed + c.Value.Denied, c.Value.Allowed, c.Value.Denied), StringComparer.Ordinal),
        [.. _perMinute.Select(m => new MinuteCounts(m.Key, m.Value.Allowed, m.Value.Denied))]);

    /// <summary>Rebuilds an accumulator from numbers computed in SQL.</summary>
    public static MetricsAccumulator From(SeriesMetrics metrics, IReadOnlyDictionary<Guid, int> admissions)
    {
        var accumulator = new MetricsAccumulator
        {
            Allowed = metrics.Allowed,
            Denied = metrics.Denied,
            Occupancy = metrics.Occupancy,
            UniqueWristbands = admissions.Count(a => a.Value > 0),
        };
        foreach (var (reason, count) in metrics.DeniedByReason)
        {
            accumulator._deniedByReason[reason] = count;
        }

        foreach (var (gate, counts) in metrics.PerGate)
        {
            accumulator._perGate[gate] = (counts.Allowed, counts.Denied);
        }

        foreach (var (category, counts) in metrics.PerCategory)
        {
            accumulator._perCategory[category] = (counts.Allowed, counts.Denied);
        }

        foreach (var minute in metrics.PerMinute)
        {
            accumulator._perMinute[minute.Minute] = (minute.Allowed, minute.Denied);
        }

        foreach (var (wristband, count) in admissions)
        {
            accumulator._admissions[wristband] = count;
        }

        return accumulator;
    }

    public static DateTimeOffset Minute(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static void Add<TKey>(IDictionary<TKey, (long Allowed, long Denied)> counts, TKey key, long allowed, long denied)
    {
        var (a, d) = counts.TryGetValue(key, out var existing) ? existing : default;
        counts[key] = (a + allowed, d + denied);
    }
}
