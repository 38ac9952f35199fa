using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Webhooks;

/// <summary>
/// The senders' side of the outbox: what a subscription has due, and what each attempt did (one
/// transaction per attempt: the attempt row, the delivery's state and the subscription's failure
/// count, with the pause rule applied in the same statement).
/// </summary>
public sealed class WebhookOutboxStore(NpgsqlDataSource db)
{
    /// <summary>The subscription as its sender needs it (with the encrypted secret), or null when it was deleted.</summary>
    public async Task<SenderSubscription?> LoadAsync(Guid subscriptionId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<SenderSubscription>(
            "SELECT id, organization_id AS OrganizationId, url, status = 'paused' AS Paused, ciphertext, key_id AS KeyId FROM webhook_subscriptions WHERE id = @subscriptionId",
            new { subscriptionId });
    }

    /// <summary>
    /// The head of each ordering key's queue (its oldest pending delivery), when due at <paramref name="now"/>,
    /// oldest first. A key whose head is waiting for a retry sends nothing else: order per series.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> DueAsync(Guid subscriptionId, DateTimeOffset now, int limit)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<DueDelivery>(
            """
            SELECT * FROM (
                SELECT DISTINCT ON (ordering_key) id, ordering_key AS OrderingKey, event_type AS EventType, occurred_at AS OccurredAt,
                       data::text AS Data, attempts, first_attempt_at AS FirstAttemptAt, next_attempt_at AS NextAttemptAt
                FROM webhook_deliveries WHERE subscription_id = @subscriptionId AND status = 'pending'
                ORDER BY ordering_key, id) heads
            WHERE NextAttemptAt IS NULL OR NextAttemptAt <= @now
            ORDER BY id LIMIT @limit
            """,
            new { subscriptionId, now = now.UtcDateTime, limit });
        return [.. rows];
    }

    /// <summary>Whether the subscription has anything pending at all (due or waiting for a retry).</summary>
    public async Task<bool> HasPendingAsync(Guid subscriptionId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE subscription_id = @subscriptionId AND status = 'pending')", new { subscriptionId });
    }

    /// <summary>Deliveries not yet delivered or given up, of every subscription (paused ones included): the backlog.</summary>
    public async Task<long> PendingCountAsync()
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'");
    }

    /// <summary>Active subscriptions with a delivery due at <paramref name="now"/>: the ones to wake.</summary>
    public async Task<IReadOnlyList<Guid>> WithDueWorkAsync(DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<Guid>(
            """
            SELECT s.id FROM webhook_subscriptions s
            WHERE s.status = 'active' AND EXISTS (
                SELECT 1 FROM webhook_deliveries d
                WHERE d.subscription_id = s.id AND d.status = 'pending' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= @now))
            """,
            new { now = now.UtcDateTime });
        return [.. rows];
    }

    /// <summary>Records a 2xx: the delivery is done and the subscription's failure streak ends.</summary>
    public async Task RecordSuccessAsync(Guid subscriptionId, long deliveryId, AttemptOutcome attempt)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var at = attempt.At.UtcDateTime;
        await InsertAttemptAsync(connection, tx, deliveryId, attempt);
        await connection.ExecuteAsync(
            """
            UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @at),
                next_attempt_at = NULL, last_status_code = @StatusCode, last_error = NULL, finished_at = @at
            WHERE id = @deliveryId;
            UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL WHERE id = @subscriptionId AND consecutive_failures > 0;
            """,
            new { deliveryId, subscriptionId, at, attempt.StatusCode }, tx);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Records a failed attempt: the delivery waits until <paramref name="retryAt"/>, or is given up
    /// (failed) when that is null. The subscription pauses once <paramref name="pauseAfterFailures"/>
    /// attempts in a row failed over at least <paramref name="pauseAfterPeriod"/>; returns whether it did.
    /// </summary>
    public async Task<bool> RecordFailureAsync(
        Guid subscriptionId, long deliveryId, AttemptOutcome attempt, DateTimeOffset? retryAt, int pauseAfterFailures, TimeSpan pauseAfterPeriod)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var at = attempt.At.UtcDateTime;
        await InsertAttemptAsync(connection, tx, deliveryId, attempt);
        await connection.ExecuteAsync(
            """
            UPDATE webhook_deliveries SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @at),
                status = CASE WHEN @retryAt::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = @retryAt, finished_at = CASE WHEN @retryAt::timestamptz IS NULL THEN @at END,
                last_status_code = @StatusCode, last_error = @Error
            WHERE id = @deliveryId
            """,
            new { deliveryId, at, retryAt = retryAt?.UtcDateTime, attempt.StatusCode, attempt.Error }, tx);
        var paused = await connection.ExecuteScalarAsync<bool>(
            """
            UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, @at),
                status = CASE WHEN status = 'active' AND consecutive_failures + 1 >= @pauseAfterFailures AND coalesce(failing_since, @at) <= @at - @pauseAfterPeriod
                              THEN 'paused' ELSE status END,
                paused_reason = CASE WHEN status = 'active' AND consecutive_failures + 1 >= @pauseAfterFailures AND coalesce(failing_since, @at) <= @at - @pauseAfterPeriod
                                     THEN format('%s delivery attempts in a row failed since %s; last: %s', consecutive_failures + 1,
                                                 to_char(coalesce(failing_since, @at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), @lastError)
                                     ELSE paused_reason END,
                paused_at = CASE WHEN status = 'active' AND consecutive_failures + 1 >= @pauseAfterFailures AND coalesce(failing_since, @at) <= @at - @pauseAfterPeriod
                                 THEN @at ELSE paused_at END
            WHERE id = @subscriptionId
            RETURNING status = 'paused'
            """,
            new { subscriptionId, at, pauseAfterFailures, pauseAfterPeriod, lastError = attempt.StatusCode is { } code ? $"HTTP {code}" : attempt.Error }, tx);
        await tx.CommitAsync();
        return paused;
    }

    /// <summary>Deletes delivered and failed rows finished before <paramref name="cutoff"/> (their attempts go with them), a batch at a time.</summary>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, int batch = 10_000)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteAsync(
            """
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE finished_at < @cutoff AND status <> 'pending' LIMIT @batch)
            """,
            new { cutoff = cutoff.UtcDateTime, batch });
    }

    private static Task InsertAttemptAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long deliveryId, AttemptOutcome attempt) =>
        connection.ExecuteAsync(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, at, duration_ms, status_code, error)
            SELECT @deliveryId, attempts + 1, @at, @DurationMs, @StatusCode, @Error FROM webhook_deliveries WHERE id = @deliveryId
            """,
            new { deliveryId, at = attempt.At.UtcDateTime, attempt.DurationMs, attempt.StatusCode, attempt.Error }, tx);
}

/// <summary>A subscription as its sender reads it.</summary>
public sealed record SenderSubscription(Guid Id, Guid OrganizationId, string Url, bool Paused, byte[] Ciphertext, string KeyId);

/// <summary>A delivery due to be sent, with its body's data (JSON text).</summary>
public sealed record DueDelivery(
    long Id, Guid OrderingKey, string EventType, DateTime OccurredAt, string Data, int Attempts, DateTime? FirstAttemptAt, DateTime? NextAttemptAt)
{
    /// <summary>When the event happened (UTC).</summary>
    public DateTimeOffset Occurred => DbText.Utc(OccurredAt);

    /// <summary>When it was first tried (UTC), or null before its first attempt.</summary>
    public DateTimeOffset? FirstAttempt => DbText.Utc(FirstAttemptAt);
}

/// <summary>What one attempt got: a status code, or an error (timeout, connection, refused address).</summary>
public sealed record AttemptOutcome(DateTimeOffset At, int DurationMs, int? StatusCode, string? Error);
