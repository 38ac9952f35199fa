using Dapper;
using EventSeries.Persistence.Errors;
using EventSeries.Persistence.Audit;
using EventSeries.Wristbands;
using Npgsql;

namespace EventSeries.Persistence.Stores;

/// <summary>Rows of single wristbands (registration in bulk lives in <see cref="EventStore"/>).</summary>
public sealed class WristbandStore(NpgsqlDataSource db)
{
    /// <summary>A wristband, or null.</summary>
    public async Task<WristbandView?> LoadAsync(Guid wristbandId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<WristbandRow>($"{WristbandRow.Select} WHERE id = @wristbandId", new { wristbandId });
        return row?.ToView();
    }

    /// <summary>Stores a new status; not found when the wristband is gone (its event was deleted).</summary>
    public async Task UpdateStatusAsync(Guid wristbandId, WristbandStatus status, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync(
            "UPDATE wristbands SET status = @status, updated_at = @now WHERE id = @wristbandId",
            new { wristbandId, status = status.ToDb(), now = now.UtcDateTime }, tx);
        if (updated == 0)
        {
            throw new RowNotFoundException("Wristband");
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }
}
