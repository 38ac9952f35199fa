using System.Threading.Channels;

namespace EventSeries.Api.Feed;

/// <summary>
/// One client's buffer: batches of events in order, at most <c>capacity</c> events not yet taken by
/// its connection. Offering never waits: a client that is that far behind is dropped (its
/// <c>onDropped</c> closes the connection), so one stalled reader costs nobody else anything.
/// Counted in events but queued in batches, so a release to a thousand clients is a thousand
/// writes, not a thousand times the number of events.
/// </summary>
public sealed class FeedSubscriber(int capacity, Action onDropped)
{
    private readonly Channel<ImmutableArray<FeedItem>> _batches =
        Channel.CreateUnbounded<ImmutableArray<FeedItem>>(new UnboundedChannelOptions { SingleReader = true });

    private int _buffered;
    private int _closed;

    /// <summary>Dropped, or its subscription ended: nothing more is queued.</summary>
    public bool Closed => Volatile.Read(ref _closed) == 1;

    /// <summary>Queues a batch; false (and the client dropped) when it would pass the buffer.</summary>
    public bool Offer(ImmutableArray<FeedItem> batch)
    {
        if (Closed)
        {
            return false;
        }

        if (Interlocked.Add(ref _buffered, batch.Length) > capacity || !_batches.Writer.TryWrite(batch))
        {
            Drop();
            return false;
        }

        return true;
    }

    /// <summary>The client's batches, in order; ends when the client was dropped.</summary>
    public async IAsyncEnumerable<ImmutableArray<FeedItem>> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in _batches.Reader.ReadAllAsync(cancellationToken))
        {
            if (Closed)
            {
                yield break;
            }

            Interlocked.Add(ref _buffered, -batch.Length);
            yield return batch;
        }
    }

    /// <summary>
    /// Ends the stream without dropping the client: its subscription ended. From here on a full
    /// buffer no longer calls <c>onDropped</c>, which aborts the request: a broadcast still holding
    /// this subscriber must not abort a request the server may already have moved on to.
    /// </summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _closed, 1);
        _batches.Writer.TryComplete();
    }

    private void Drop()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _batches.Writer.TryComplete();
            onDropped();
        }
    }
}
