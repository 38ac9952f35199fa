using EventSeries.Domain.CheckIns;
using System.Threading.Channels;
using EventSeries.Persistence;
using EventSeries.Persistence.CheckIns;
using Npgsql;

namespace EventSeries.Grains.CheckIns;

/// <summary>
/// Batches the activation reads of access grains on this silo: requests that arrive while a read is
/// in flight go together into the next one, so a burst of cold wristbands costs a few queries
/// instead of one each.
/// </summary>
public sealed class AccessLoader : IAsyncDisposable
{
    private const int MaxBatch = 500;

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>();
    private readonly AccessStore _store;
    private readonly Task[] _loops;

    public AccessLoader(AccessStore store, int readers = 4)
    {
        _store = store;
        _loops = [.. Enumerable.Range(0, readers).Select(_ => Task.Run(RunAsync))];
    }

    public Task<AccessSnapshot> LoadAsync(Guid eventId, string nfcId)
    {
        var request = new Request((eventId, nfcId), new TaskCompletionSource<AccessSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(AccessLoader));
        }

        return request.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        // Each loop keeps its own connection: a pooled one would be reset after every read.
        NpgsqlConnection? connection = null;
        var batch = new List<Request>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                connection ??= await _store.OpenAsync();
                var loaded = await _store.LoadAsync(connection, [.. batch.Select(r => r.Key)]);
                foreach (var request in batch)
                {
                    request.Done.TrySetResult(loaded[request.Key]);
                }
            }
            catch (Exception e)
            {
                await DedicatedConnection.DisposeQuietlyAsync(connection);
                connection = null;
                foreach (var request in batch)
                {
                    request.Done.TrySetException(e);
                }
            }
        }

        await DedicatedConnection.DisposeQuietlyAsync(connection);
    }

    private sealed record Request((Guid EventId, string NfcId) Key, TaskCompletionSource<AccessSnapshot> Done);
}
