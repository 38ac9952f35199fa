using Dapper;
using EventSeries.Integrations;

namespace EventSeries.Persistence.Integrations;

/// <summary>
/// Delivery ids per organization with the answer each got, so a repeat answers as the first did.
/// A delivery is claimed (a row without an answer) before it is worked on: of two identical
/// deliveries at once, the primary key lets exactly one claim it.
/// </summary>
public sealed class DeliveryStore(Npgsql.NpgsqlDataSource db)
{
    /// <summary>How long a claim without an answer holds before another delivery may take it over (its process died).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Claims the delivery, or returns what is known of it: <see cref="DeliveryClaim.Claimed"/> when
    /// this call may work on it, otherwise the first answer (null while another is still working on it).
    /// </summary>
    public async Task<DeliveryClaim> ClaimAsync(Guid organizationId, string deliveryId, IntegrationKind kind, byte[] bodyHash, DateTimeOffset now)
    {
        var args = new { organizationId, deliveryId, kind = kind.Name(), bodyHash, now = now.UtcDateTime, staleBefore = (now - ClaimTimeout).UtcDateTime };
        await using var connection = await db.OpenConnectionAsync();
        var claimed = await connection.ExecuteScalarAsync<bool>(
            """
            INSERT INTO integration_deliveries (organization_id, delivery_id, kind, body_hash, claimed_at)
            VALUES (@organizationId, @deliveryId, @kind, @bodyHash, @now)
            ON CONFLICT (organization_id, delivery_id) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
              WHERE integration_deliveries.status IS NULL AND integration_deliveries.claimed_at < @staleBefore
                AND integration_deliveries.kind = EXCLUDED.kind AND integration_deliveries.body_hash = EXCLUDED.body_hash
            RETURNING true
            """,
            args);
        if (claimed)
        {
            return new DeliveryClaim(true, true, null, null);
        }

        var first = await connection.QuerySingleAsync<(string Kind, byte[] BodyHash, int? Status, string? Answer)>(
            "SELECT kind, body_hash, status, answer FROM integration_deliveries WHERE organization_id = @organizationId AND delivery_id = @deliveryId",
            args);
        var same = first.Kind == kind.Name() && first.BodyHash.AsSpan().SequenceEqual(bodyHash);
        return new DeliveryClaim(false, same, first.Status, first.Answer);
    }

    /// <summary>Stores the answer of a claimed delivery.</summary>
    public async Task AnswerAsync(Guid organizationId, string deliveryId, string? eventType, int status, string answer, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE integration_deliveries SET event_type = @eventType, status = @status, answer = @answer, answered_at = @now
            WHERE organization_id = @organizationId AND delivery_id = @deliveryId
            """,
            new { organizationId, deliveryId, eventType, status, answer, now = now.UtcDateTime });
    }

    /// <summary>
    /// Forgets answered deliveries older than <paramref name="before"/>, in bounded batches so no
    /// statement holds many row locks; claims still without an answer are left to their timeout.
    /// Returns how many were forgotten.
    /// </summary>
    public async Task<long> ForgetAnsweredBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        const int Batch = 10_000;
        long forgotten = 0;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM integration_deliveries d USING (
                    SELECT organization_id, delivery_id FROM integration_deliveries WHERE answered_at < @before LIMIT @Batch) old
                WHERE d.organization_id = old.organization_id AND d.delivery_id = old.delivery_id
                """,
                new { before = before.UtcDateTime, Batch },
                cancellationToken: cancellationToken));
            forgotten += deleted;
            if (deleted < Batch)
            {
                return forgotten;
            }
        }
    }

    /// <summary>Gives a claim up without an answer (a transient fault): the sender's retry works on it again.</summary>
    public async Task ReleaseAsync(Guid organizationId, string deliveryId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "DELETE FROM integration_deliveries WHERE organization_id = @organizationId AND delivery_id = @deliveryId AND status IS NULL",
            new { organizationId, deliveryId });
    }
}

/// <summary>
/// The result of claiming a delivery: <see cref="Claimed"/>, or the first delivery's answer
/// (<see cref="Status"/> null while it is being worked on); <see cref="SameDelivery"/> false when the
/// id came before with another kind or body.
/// </summary>
public sealed record DeliveryClaim(bool Claimed, bool SameDelivery, int? Status, string? Answer);
