using Npgsql;

namespace EventSeries.Persistence.Errors;

/// <summary>Which failures mean "the database is not there right now" rather than a mistake.</summary>
public static class DatabaseFaults
{
    /// <summary>
    /// A lost or refused connection, a server shutting down or restarting, a timeout: the request
    /// may well succeed when retried, so it is answered 503 with Retry-After.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception is NpgsqlException { IsTransient: true } or TimeoutException;
}
