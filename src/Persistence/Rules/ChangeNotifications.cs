using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Rules;

/// <summary>
/// Tells every silo that an event's scan rules (its gates or series) changed. Sent with
/// pg_notify inside the writing transaction, so PostgreSQL delivers it only if, and right after,
/// the change commits.
/// </summary>
public static class ChangeNotifications
{
    /// <summary>The LISTEN/NOTIFY channel.</summary>
    public const string Channel = "eventseries_changes";

    public static Task NotifyEventChangedAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid eventId) =>
        connection.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel = Channel, payload = eventId.ToString("N") }, tx);

    /// <summary>The event id a notification names, or null for a payload this version does not know.</summary>
    public static Guid? ParseEventId(string payload) => Guid.TryParseExact(payload, "N", out var id) ? id : null;
}
