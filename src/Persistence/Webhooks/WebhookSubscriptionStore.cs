using Dapper;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Errors;
using EventSeries.Webhooks;
using Npgsql;

namespace EventSeries.Persistence.Webhooks;

/// <summary>
/// Rows of outgoing webhook subscriptions (0180_webhooks_out.sql), written by the organization's
/// subscriptions grain. Every query names the organization, so another's ids are simply not found.
/// </summary>
public sealed class WebhookSubscriptionStore(NpgsqlDataSource db)
{
    public async Task<bool> OrganizationExistsAsync(Guid organizationId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM organizations WHERE id = @organizationId)", new { organizationId });
    }

    public async Task<ImmutableArray<WebhookSubscriptionView>> ListAsync(Guid organizationId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<WebhookSubscriptionRow>(
            $"SELECT {WebhookSubscriptionRow.Columns} FROM webhook_subscriptions WHERE organization_id = @organizationId ORDER BY created_at, id", new { organizationId });
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>The subscription, or <see cref="RowNotFoundException"/> (404) when it is not the organization's.</summary>
    public async Task<WebhookSubscriptionView> GetAsync(Guid organizationId, Guid id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await GetAsync(connection, null, organizationId, id);
    }

    public async Task InsertAsync(Guid organizationId, NewWebhookSubscription subscription, string url, string createdBy, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_subscriptions (id, organization_id, url, event_types, description, ciphertext, key_id, status, created_at, created_by, updated_at)
            VALUES (@Id, @organizationId, @url, @types, @Description, @Ciphertext, @KeyId, 'active', @now, @createdBy, @now)
            """,
            new { subscription.Id, organizationId, url, types = subscription.EventTypes.ToArray(), subscription.Description, subscription.Ciphertext, subscription.KeyId, createdBy, now = now.UtcDateTime },
            tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Applies a change (nulls keep the stored value; a URL given was already checked).
    /// Pausing by hand records <paramref name="pausedReason"/>; resuming clears the pause and the failure count.
    /// </summary>
    public async Task<WebhookSubscriptionView> UpdateAsync(
        Guid organizationId, Guid id, string? url, string[]? types, string? description, WebhookSubscriptionStatus? status, string? pausedReason,
        DateTimeOffset now, Func<WebhookSubscriptionView, AuditEntry> audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var before = await GetAsync(connection, tx, organizationId, id, forUpdate: true);
        await connection.ExecuteAsync(
            """
            UPDATE webhook_subscriptions SET
                url = coalesce(@url, url), event_types = coalesce(@types, event_types), description = coalesce(@description, description),
                status = coalesce(@status, status),
                paused_reason = CASE WHEN @status = 'paused' AND status = 'active' THEN @pausedReason WHEN @status = 'active' THEN NULL ELSE paused_reason END,
                paused_at = CASE WHEN @status = 'paused' AND status = 'active' THEN @now WHEN @status = 'active' THEN NULL ELSE paused_at END,
                consecutive_failures = CASE WHEN @status = 'active' THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN @status = 'active' THEN NULL ELSE failing_since END,
                updated_at = @now
            WHERE organization_id = @organizationId AND id = @id
            """,
            new { organizationId, id, url, types, description, status = status?.ToDb(), pausedReason, now = now.UtcDateTime }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit(before));
        var after = await GetAsync(connection, tx, organizationId, id);
        await tx.CommitAsync();
        return after;
    }

    public async Task<WebhookSubscriptionView> RotateSecretAsync(Guid organizationId, Guid id, byte[] ciphertext, string keyId, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var changed = await connection.ExecuteAsync(
            "UPDATE webhook_subscriptions SET ciphertext = @ciphertext, key_id = @keyId, updated_at = @now WHERE organization_id = @organizationId AND id = @id",
            new { organizationId, id, ciphertext, keyId, now = now.UtcDateTime }, tx);
        if (changed == 0)
        {
            throw new RowNotFoundException("Webhook subscription");
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        var after = await GetAsync(connection, tx, organizationId, id);
        await tx.CommitAsync();
        return after;
    }

    public async Task DeleteAsync(Guid organizationId, Guid id, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var deleted = await connection.ExecuteAsync("DELETE FROM webhook_subscriptions WHERE organization_id = @organizationId AND id = @id", new { organizationId, id }, tx);
        if (deleted == 0)
        {
            throw new RowNotFoundException("Webhook subscription");
        }

        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Queues the subscription's deliveries from a point again, keeping their ids (and so their
    /// order): pending, no next attempt time, counted anew for the give-up period. Returns how many.
    /// </summary>
    public async Task<int> ReplayAsync(Guid organizationId, Guid id, WebhookReplay replay, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await GetAsync(connection, tx, organizationId, id);
        var requeued = await connection.ExecuteAsync(
            """
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = NULL, first_attempt_at = NULL, finished_at = NULL
            WHERE subscription_id = @id AND (@fromId::bigint IS NULL OR id >= @fromId) AND (@fromTime::timestamptz IS NULL OR occurred_at >= @fromTime)
            """,
            new { id, fromId = replay.FromDeliveryId, fromTime = replay.FromTime?.UtcDateTime }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
        return requeued;
    }

    public async Task<WebhookDeliveryPage> ListDeliveriesAsync(Guid organizationId, Guid id, long after, int limit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await GetAsync(connection, null, organizationId, id);
        var rows = (await connection.QueryAsync<DeliveryRow>(
            $"SELECT {DeliveryRow.Columns} FROM webhook_deliveries WHERE subscription_id = @id AND id > @after ORDER BY id LIMIT @take",
            new { id, after, take = limit + 1 })).ToList();
        var page = rows.Take(limit).Select(r => r.ToView()).ToImmutableArray();
        return new WebhookDeliveryPage(page, rows.Count > limit ? page[^1].Id : null);
    }

    public async Task<ImmutableArray<WebhookAttemptView>> ListAttemptsAsync(Guid organizationId, Guid id, long deliveryId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await GetAsync(connection, null, organizationId, id);
        if (!await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = @deliveryId AND subscription_id = @id)", new { id, deliveryId }))
        {
            throw new RowNotFoundException("Webhook delivery");
        }

        var rows = await connection.QueryAsync<AttemptRow>(
            "SELECT attempt, at, duration_ms AS DurationMs, status_code AS StatusCode, error FROM webhook_attempts WHERE delivery_id = @deliveryId ORDER BY attempt",
            new { deliveryId });
        return [.. rows.Select(r => new WebhookAttemptView(r.Attempt, DbText.Utc(r.At), r.DurationMs, r.StatusCode, r.Error))];
    }

    private static async Task<WebhookSubscriptionView> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid organizationId, Guid id, bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<WebhookSubscriptionRow>(
            $"SELECT {WebhookSubscriptionRow.Columns} FROM webhook_subscriptions WHERE organization_id = @organizationId AND id = @id{(forUpdate ? " FOR UPDATE" : "")}",
            new { organizationId, id }, tx);
        return row?.ToView() ?? throw new RowNotFoundException("Webhook subscription");
    }

    private sealed class AttemptRow
    {
        public int Attempt { get; set; }

        public DateTime At { get; set; }

        public int DurationMs { get; set; }

        public int? StatusCode { get; set; }

        public string? Error { get; set; }
    }
}
