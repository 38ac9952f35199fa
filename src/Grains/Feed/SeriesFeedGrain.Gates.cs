using EventSeries.CheckIns;
using EventSeries.Feed;
using EventSeries.Grains.Gates;
using Microsoft.Extensions.Logging;

namespace EventSeries.Grains.Feed;

/// <summary>
/// The feed's <c>gate</c> events: every tick while someone watches, the series' gates (those
/// assigned to it, and any a scan of it came through) are asked for their state, and those whose
/// state differs from what was last sent go out. "Jammed" can start with no scan at all (scans
/// stopped), so this runs on the tick, not on scans. A new observer gets every gate once.
/// </summary>
public sealed partial class SeriesFeedGrain
{
    private readonly HashSet<Guid> _gates = [];
    private readonly Dictionary<Guid, SeriesFeedGate> _gatesSent = [];

    private void NoteGates(ImmutableArray<ScanEvent> scans)
    {
        foreach (var scan in scans)
        {
            _gates.Add(scan.GateId);
        }
    }

    private async Task SendGatesAsync()
    {
        try
        {
            if (await rules.GetSeriesAsync(SeriesId) is { } found)
            {
                _gates.UnionWith(found.Series.GateIds);
            }

            // A series has a handful of gates: one read-only call each, side by side.
            var states = await Task.WhenAll(_gates.Select(g => GrainFactory.GetGrain<IGateActivityGrain>(g).FeedStateAsync(SeriesId)));
            var changed = states
                .OfType<SeriesFeedGate>()
                .Where(s => !_gatesSent.TryGetValue(s.GateId, out var sent) || sent != s)
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToImmutableArray();
            if (changed.IsEmpty)
            {
                return;
            }

            foreach (var state in changed)
            {
                _gatesSent[state.GateId] = state;
            }

            await ForwardAsync(new SeriesFeedBatch(SeriesId, [], [], null, changed), scans: false);
        }
        catch (Exception e)
        {
            // The next tick asks again; GET …/gates/{id}/live is the truth meanwhile.
            LogGatesFailed(logger, e, SeriesId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the gates of series {SeriesId} for its feed.")]
    private static partial void LogGatesFailed(ILogger logger, Exception exception, Guid seriesId);
}
