using EventSeries.CheckIns;
using EventSeries.Gates;

namespace EventSeries.Grains.Gates;

/// <summary>
/// What a gate saw lately, by the minute: the counting behind <see cref="GateLiveView"/>, kept apart
/// from the grain so its rules (what "jammed" means) are plain code.
/// </summary>
public sealed class GateActivity(DateTimeOffset since)
{
    /// <summary>Minutes kept and shown.</summary>
    public const int MinutesKept = 10;

    /// <summary>A gate with at least this many scans in the last minute, at least half of them denied, looks jammed.</summary>
    public const int SpikeMinimumScans = 10;

    /// <summary>A gate whose scans stopped this long, after it had at least <see cref="StoppedMinimumScans"/> in the minutes before, while its series is active, looks jammed.</summary>
    public static readonly TimeSpan StoppedAfter = TimeSpan.FromMinutes(3);

    public const int StoppedMinimumScans = 10;

    private readonly SortedDictionary<DateTimeOffset, (int Scans, int Denied)> _minutes = [];
    private readonly Dictionary<Guid, DateTimeOffset> _scanners = [];

    public DateTimeOffset Since { get; } = since;

    public GateLastScan? LastScan { get; private set; }

    public void Record(ScanEvent scan)
    {
        if (scan.Result == CheckinResult.Annulled)
        {
            return; // an annulment is an operator's correction, not a scan at the gate
        }

        var minute = MinuteOf(scan.At);
        var (scans, denied) = _minutes.GetValueOrDefault(minute);
        _minutes[minute] = (scans + 1, denied + (scan.Result == CheckinResult.Denied ? 1 : 0));
        if (LastScan is null || scan.At >= LastScan.At)
        {
            LastScan = new GateLastScan(scan.At, scan.SeriesId == Guid.Empty ? null : scan.SeriesId, scan.Result, scan.Reason, scan.Direction, scan.Category);
        }

        if (scan.ActorId is { } actor && (!_scanners.TryGetValue(actor, out var seen) || seen < scan.At))
        {
            _scanners[actor] = scan.At;
        }
    }

    /// <summary>Forgets minutes and scanners older than what is shown.</summary>
    public void Prune(DateTimeOffset now)
    {
        var oldest = MinuteOf(now).AddMinutes(-(MinutesKept - 1));
        foreach (var minute in _minutes.Keys.Where(m => m < oldest).ToList())
        {
            _minutes.Remove(minute);
        }

        foreach (var scanner in _scanners.Where(s => now - s.Value > TimeSpan.FromMinutes(1)).Select(s => s.Key).ToList())
        {
            _scanners.Remove(scanner);
        }
    }

    /// <summary>The last <see cref="MinutesKept"/> minutes up to <paramref name="now"/>, oldest first, quiet ones as zeros.</summary>
    public ImmutableArray<GateMinute> Minutes(DateTimeOffset now)
    {
        var current = MinuteOf(now);
        return [.. Enumerable.Range(0, MinutesKept).Reverse()
            .Select(back => current.AddMinutes(-back))
            .Select(m => _minutes.TryGetValue(m, out var c) ? new GateMinute(m, c.Scans, c.Denied) : new GateMinute(m, 0, 0))];
    }

    /// <summary>Who scanned here within the last minute.</summary>
    public ImmutableArray<Guid> ScannersLastMinute(DateTimeOffset now) =>
        [.. _scanners.Where(s => now - s.Value <= TimeSpan.FromMinutes(1)).OrderByDescending(s => s.Value).Select(s => s.Key)];

    /// <summary>
    /// Why the gate looks jammed, or null: denials spiking (at least half of at least
    /// <see cref="SpikeMinimumScans"/> scans in this minute and the one before), or scans stopped for
    /// <see cref="StoppedAfter"/> after a busy spell while <paramref name="seriesActive"/>.
    /// </summary>
    public string? Jammed(DateTimeOffset now, bool seriesActive)
    {
        var current = MinuteOf(now);
        var recent = _minutes.Where(m => m.Key >= current.AddMinutes(-1)).Select(m => m.Value).ToList();
        var (scans, denied) = (recent.Sum(c => c.Scans), recent.Sum(c => c.Denied));
        if (scans >= SpikeMinimumScans && denied * 2 >= scans)
        {
            return $"denials_spike: {denied} of {scans} scans denied in the last two minutes";
        }

        if (seriesActive && LastScan is { } last && now - last.At >= StoppedAfter
            && _minutes.Where(m => m.Key >= MinuteOf(last.At).AddMinutes(-5)).Sum(m => m.Value.Scans) >= StoppedMinimumScans)
        {
            return $"scans_stopped: no scan since {last.At:O} while its series is active";
        }

        return null;
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
