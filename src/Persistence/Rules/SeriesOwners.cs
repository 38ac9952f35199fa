using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Rules;

/// <summary>The event and organization a series belongs to.</summary>
public readonly record struct SeriesOwner(Guid EventId, Guid OrganizationId);

/// <summary>
/// Which event and organization each series belongs to. That never changes for a series, so each
/// process remembers it after the first read: scans and verifications against a series reach
/// their event without a database read each. Misses are not remembered (the series may be created
/// next), and whoever uses the answer still checks the caller against the organization.
/// </summary>
public sealed class SeriesOwners(NpgsqlDataSource db)
{
    private readonly ConcurrentDictionary<Guid, SeriesOwner> _owners = new();

    /// <summary>The series' event and organization, or null when there is no such series.</summary>
    /// <param name="seriesId">The series.</param>
    /// <param name="mustExist">Read the row even when remembered, because the answer must say whether the series still exists (it may have been deleted).</param>
    public async ValueTask<SeriesOwner?> FindAsync(Guid seriesId, bool mustExist = false)
    {
        if (!mustExist && _owners.TryGetValue(seriesId, out var known))
        {
            return known;
        }

        await using var connection = await db.OpenConnectionAsync();
        var found = (await connection.QueryAsync<SeriesOwner>(
            "SELECT event_id AS EventId, organization_id AS OrganizationId FROM event_series WHERE id = @seriesId", new { seriesId }))
            .Cast<SeriesOwner?>().FirstOrDefault();
        if (found is { } owner)
        {
            _owners.TryAdd(seriesId, owner);
        }

        return found;
    }
}
