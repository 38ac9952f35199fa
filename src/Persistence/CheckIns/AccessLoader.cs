using EventSeries.Domain.CheckIns;
using Npgsql;

namespace EventSeries.Persistence.CheckIns;

/// <summary>
/// Batches the activation reads of this silo's access grains: requests that arrive while a read is
/// in flight go together into the next one, so a burst of cold wristbands costs a few queries
/// instead of one each.
/// </summary>
/// <param name="db">Where the readers' connections come from.</param>
/// <param name="store">The batched read.</param>
/// <param name="readers">How many reads may be in flight at once.</param>
public sealed class AccessLoader(NpgsqlDataSource db, AccessStore store, int readers = 4) : IAsyncDisposable
{
    private const int MaxBatch = 500;

    private readonly ConnectionBatcher<(Guid EventId, string NfcId), AccessSnapshot> _batcher = new(
        db, readers, MaxBatch, async (connection, keys) =>
        {
            var loaded = await store.LoadAsync(connection, keys);
            return [.. keys.Select(k => loaded[k])];
        });

    /// <summary>What the access grain of (event, NFC UID) starts from.</summary>
    public Task<AccessSnapshot> LoadAsync(Guid eventId, string nfcId) => _batcher.EnqueueAsync((eventId, nfcId));

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
