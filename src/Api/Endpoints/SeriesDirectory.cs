using System.Collections.Concurrent;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// Which event a series belongs to (it never changes), remembered after the first read so the
/// verify endpoint reaches the wristband's grain without a database read per scan. The grain checks
/// the caller against the event's organization on every call.
/// </summary>
public sealed class SeriesDirectory(CheckinQueries queries)
{
    private readonly ConcurrentDictionary<Guid, Guid> _events = new();

    public async ValueTask<Guid> EventOfAsync(Caller caller, Guid seriesId)
    {
        if (_events.TryGetValue(seriesId, out var eventId))
        {
            return eventId;
        }

        eventId = await queries.FindSeriesEventAsync(caller, seriesId);
        _events[seriesId] = eventId;
        return eventId;
    }
}
