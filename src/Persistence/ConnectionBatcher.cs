using System.Threading.Channels;
using Npgsql;

namespace EventSeries.Persistence;

/// <summary>
/// Group work for the scan path: requests that arrive while a batch is in flight go together into
/// the next one, so thousands of scans a second cost a handful of round trips. Several loops run
/// side by side (one batch can wait on the database while the next is being built), and each keeps
/// its own connection: a pooled one would be reset (DISCARD ALL) after every batch. A batch that
/// fails fails each of its requests and drops that loop's connection; the next batch opens a new one.
/// </summary>
/// <typeparam name="TRequest">One request.</typeparam>
/// <typeparam name="TResult">Its answer.</typeparam>
public sealed class ConnectionBatcher<TRequest, TResult> : IAsyncDisposable
{
    /// <summary>Processes one batch on the loop's connection; answers one result per request, in order.</summary>
    public delegate Task<IReadOnlyList<TResult>> BatchHandler(NpgsqlConnection connection, IReadOnlyList<TRequest> batch);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly NpgsqlDataSource _db;
    private readonly BatchHandler _handle;
    private readonly Action<Exception, int>? _failed;
    private readonly int _maxBatch;
    private readonly Task[] _loops;

    /// <param name="db">Where the loops' connections come from.</param>
    /// <param name="loops">How many batches may be in flight at once.</param>
    /// <param name="maxBatch">The most requests in one batch.</param>
    /// <param name="handle">What one batch does.</param>
    /// <param name="failed">Told of a failed batch (the exception and the batch size), e.g. to log it.</param>
    public ConnectionBatcher(NpgsqlDataSource db, int loops, int maxBatch, BatchHandler handle, Action<Exception, int>? failed = null)
    {
        _db = db;
        _handle = handle;
        _failed = failed;
        _maxBatch = maxBatch;
        _loops = [.. Enumerable.Range(0, loops).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Queues a request; completes with its result once its batch is done.</summary>
    public Task<TResult> EnqueueAsync(TRequest request)
    {
        var pending = new Pending(request, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(ConnectionBatcher<TRequest, TResult>));
        }

        return pending.Done.Task;
    }

    /// <summary>Finishes the queued requests, then stops the loops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        NpgsqlConnection? connection = null;
        var batch = new List<Pending>(_maxBatch);
        var requests = new List<TRequest>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            requests.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                requests.Add(next.Request);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                connection ??= await _db.OpenConnectionAsync();
                var results = await _handle(connection, requests);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                _failed?.Invoke(e, batch.Count);
                await DisposeQuietlyAsync(connection);
                connection = null;
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }

        await DisposeQuietlyAsync(connection);
    }

    /// <summary>Closes a connection that may already be broken; it is dropped either way.</summary>
    private static async Task DisposeQuietlyAsync(NpgsqlConnection? connection)
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

    private sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Done);
}
