using EventSeries.Domain.CheckIns;
using System.Collections.Concurrent;
using EventSeries.Persistence.Rules;

namespace EventSeries.Grains.CheckIns.Rules;

/// <summary>
/// Each silo's copy of the scan rules (event, gates, series), read once per event and dropped the
/// moment PostgreSQL reports a change (<see cref="RulesChangeSubscriber"/>), so every silo enforces a
/// lifecycle change within milliseconds without reading the database on each scan.
/// </summary>
public sealed class EventRulesCache(RulesStore store, SeriesOwners owners, DomainTime time)
{
    // Unknown ids are remembered briefly so a scanner with a wrong event id cannot hammer the database.
    private static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, Entry> _events = new();

    /// <summary>The event's rules, or null when there is no such event.</summary>
    public async ValueTask<EventRules?> GetEventAsync(Guid eventId)
    {
        while (true)
        {
            var entry = _events.GetOrAdd(eventId, id => new Entry(LoadAsync(id), time.Now()));
            var rules = await entry.Rules;
            if (rules is null && time.Now() - entry.LoadedAt > MissLifetime)
            {
                _events.TryRemove(new KeyValuePair<Guid, Entry>(eventId, entry));
                continue;
            }

            return rules;
        }
    }

    /// <summary>A series' rules with its event's, or null when there is no such series.</summary>
    public async ValueTask<(EventRules Event, SeriesRules Series)?> GetSeriesAsync(Guid seriesId)
    {
        if (await owners.FindAsync(seriesId) is not { } owner)
        {
            return null;
        }

        var rules = await GetEventAsync(owner.EventId);
        return rules is not null && rules.SeriesById.TryGetValue(seriesId, out var series) ? (rules, series) : null;
    }

    /// <summary>Forgets an event's rules; the next scan reads them again.</summary>
    public void Invalidate(Guid eventId) => _events.TryRemove(eventId, out _);

    /// <summary>Forgets everything (after the change feed was interrupted and changes may have been missed).</summary>
    public void InvalidateAll() => _events.Clear();

    private async Task<EventRules?> LoadAsync(Guid eventId)
    {
        try
        {
            return await store.LoadAsync(eventId);
        }
        catch
        {
            // A failed read must not be cached: the next scan tries again.
            _events.TryRemove(eventId, out _);
            throw;
        }
    }

    private sealed record Entry(Task<EventRules?> Rules, DateTimeOffset LoadedAt);
}
