using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Notifications;

/// <summary>
/// Tells every process that something it may hold in memory changed. Sent with pg_notify inside
/// the writing transaction, so PostgreSQL delivers it only if, and right after, the change commits.
/// </summary>
public static class ChangeNotifications
{
    /// <summary>An event's scan rules (its gates or series) changed; payload: the event id.</summary>
    public const string RulesChannel = "eventseries_changes";

    /// <summary>A person's or device's access changed (role, membership, token); payload: their id.</summary>
    public const string CallersChannel = "eventseries_callers";

    public static Task NotifyEventChangedAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid eventId) =>
        NotifyAsync(connection, tx, RulesChannel, eventId);

    public static Task NotifyCallerChangedAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid userId) =>
        NotifyAsync(connection, tx, CallersChannel, userId);

    /// <summary>Tells that the access of every member of an organization changed (it is being deleted).</summary>
    public static Task NotifyMembersChangedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid organizationId) =>
        connection.ExecuteAsync(
            "SELECT pg_notify(@channel, replace(user_id::text, '-', '')) FROM organization_members WHERE organization_id = @organizationId",
            new { channel = CallersChannel, organizationId }, tx);

    /// <summary>Tells that every scanner device of an event lost its access (the event is being deleted).</summary>
    public static Task NotifyDevicesChangedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid eventId) =>
        connection.ExecuteAsync(
            "SELECT pg_notify(@channel, replace(id::text, '-', '')) FROM scanner_devices WHERE event_id = @eventId",
            new { channel = CallersChannel, eventId }, tx);

    /// <summary>The id a notification names, or null for a payload this version does not know.</summary>
    public static Guid? ParseId(string payload) => Guid.TryParseExact(payload, "N", out var id) ? id : null;

    private static Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string channel, Guid id) =>
        connection.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel, payload = id.ToString("N") }, tx);
}
