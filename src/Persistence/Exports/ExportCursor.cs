using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace EventSeries.Persistence.Exports;

/// <summary>
/// One export's query, already running: its own connection and a reader opened with
/// <see cref="System.Data.CommandBehavior.SequentialAccess"/>, so rows are read as PostgreSQL sends
/// them and nothing is held but the current row (TCP backpressure paces the server to the client).
/// Opening it before the response starts is what lets a database fault still be answered as a
/// 503; disposing it returns the connection to the pool.
/// </summary>
public sealed class ExportCursor<T>(NpgsqlConnection connection, NpgsqlCommand command, DbDataReader reader, Func<DbDataReader, T> map) : IAsyncDisposable
{
    private bool _finished;

    /// <summary>Each row once, in the query's order; a database fault mid-way throws (the export must then abort, not end).</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return map(reader);
        }

        _finished = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_finished)
            {
                // A client that hung up (or a fault) leaves rows unread, and disposing the reader
                // would read every one of them to the end: ask the server to stop the query first.
                command.Cancel();
            }

            await reader.DisposeAsync();
        }
        catch (Exception e) when (!_finished && e is NpgsqlException or InvalidOperationException)
        {
            // The query was cancelled or its connection is gone; either way nothing is left to read.
        }
        finally
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
