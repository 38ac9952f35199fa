using Npgsql;

namespace EventSeries.Persistence;

/// <summary>
/// For loops that keep one connection across many batches (a pooled connection is reset on every
/// return, which costs more than the small batches of the scan path).
/// </summary>
public static class DedicatedConnection
{
    /// <summary>Closes a connection that may already be broken; it is dropped either way.</summary>
    public static async Task DisposeQuietlyAsync(NpgsqlConnection? connection)
    {
        try
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (NpgsqlException)
        {
            // A broken connection may fail to close.
        }
    }
}
