using Dapper;
using EventSeries.Devices;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using EventSeries.Security;
using Npgsql;

namespace EventSeries.Persistence.Stores;

/// <summary>Scanner devices: their rows, and the token lookup that turns a device token into a caller.</summary>
public sealed class ScannerDeviceStore(NpgsqlDataSource db)
{
    private const string Select =
        "SELECT id, organization_id AS OrganizationId, event_id AS EventId, name, gate_ids AS GateIds, created_at AS CreatedAt, revoked_at AS RevokedAt FROM scanner_devices";

    /// <summary>Inserts a device with the hash of its token, audited.</summary>
    public async Task InsertAsync(ScannerDeviceView device, byte[] tokenHash, Guid? createdBy, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO scanner_devices (id, organization_id, event_id, name, gate_ids, token_hash, created_at, created_by)
            VALUES (@Id, @OrganizationId, @EventId, @Name, @gateIds, @tokenHash, @createdAt, @createdBy)
            """,
            new { device.Id, device.OrganizationId, device.EventId, device.Name, gateIds = device.GateIds.ToArray(), tokenHash, createdAt = device.CreatedAt.UtcDateTime, createdBy },
            tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>A device, or null.</summary>
    public async Task<ScannerDeviceView?> FindAsync(Guid deviceId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<DeviceRow>($"{Select} WHERE id = @deviceId", new { deviceId });
        return row?.ToView();
    }

    /// <summary>An event's devices, oldest first.</summary>
    public async Task<IReadOnlyList<ScannerDeviceView>> ListAsync(Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<DeviceRow>($"{Select} WHERE event_id = @eventId ORDER BY created_at, id", new { eventId });
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>Marks the device revoked (keeping the first revocation time), audited.</summary>
    public async Task RevokeAsync(Guid deviceId, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE scanner_devices SET revoked_at = coalesce(revoked_at, @now) WHERE id = @deviceId", new { deviceId, now = now.UtcDateTime }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyCallerChangedAsync(connection, tx, deviceId);
        await tx.CommitAsync();
    }

    /// <summary>The device a token hash belongs to as a caller, or null when unknown or revoked.</summary>
    public async Task<Caller?> FindCallerAsync(byte[] tokenHash)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<DeviceRow>(
            $"{Select} WHERE token_hash = @tokenHash AND revoked_at IS NULL", new { tokenHash });
        return row is null ? null : Caller.ForDevice(new ScannerScope(row.Id, row.OrganizationId, row.EventId, [.. row.GateIds]), row.Name);
    }

    private sealed class DeviceRow
    {
        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public Guid EventId { get; set; }

        public string Name { get; set; } = "";

        public Guid[] GateIds { get; set; } = [];

        public DateTime CreatedAt { get; set; }

        public DateTime? RevokedAt { get; set; }

        public ScannerDeviceView ToView() => new(Id, OrganizationId, EventId, Name, [.. GateIds], DbText.Utc(CreatedAt), DbText.Utc(RevokedAt));
    }
}
