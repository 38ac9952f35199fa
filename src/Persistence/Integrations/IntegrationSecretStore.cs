using Dapper;
using EventSeries.Integrations;
using EventSeries.Persistence.Audit;

namespace EventSeries.Persistence.Integrations;

/// <summary>Rows of webhook signing secrets (encrypted; see 0150_integrations.sql).</summary>
public sealed class IntegrationSecretStore(Npgsql.NpgsqlDataSource db)
{
    private const string Columns =
        "id, organization_id AS OrganizationId, kind, created_at AS CreatedAt, created_by AS CreatedBy, expires_at AS ExpiresAt, revoked_at AS RevokedAt";

    /// <summary>Whether the organization exists (secrets of a deleted one are gone with it).</summary>
    public async Task<bool> OrganizationExistsAsync(Guid organizationId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM organizations WHERE id = @organizationId)", new { organizationId });
    }

    /// <summary>The organization's secrets, newest first.</summary>
    public async Task<ImmutableArray<IntegrationSecretView>> ListAsync(Guid organizationId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<SecretRow>(
            $"SELECT {Columns} FROM integration_secrets WHERE organization_id = @organizationId ORDER BY created_at DESC, id DESC", new { organizationId });
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>
    /// Inserts a secret; the kind's secrets that were current get <paramref name="graceUntil"/> as
    /// their end (those already ending sooner keep their end). One transaction, with the audit entry.
    /// </summary>
    public async Task InsertAsync(Guid organizationId, NewIntegrationSecret secret, string createdBy, DateTimeOffset now, DateTimeOffset graceUntil, AuditEntry audit)
    {
        var args = new
        {
            secret.Id, organizationId, kind = secret.Kind.Name(), secret.Ciphertext, secret.KeyId, createdBy,
            now = now.UtcDateTime, graceUntil = graceUntil.UtcDateTime,
        };
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE integration_secrets SET expires_at = @graceUntil
            WHERE organization_id = @organizationId AND kind = @kind AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @graceUntil)
            """,
            args, tx);
        await connection.ExecuteAsync(
            """
            INSERT INTO integration_secrets (id, organization_id, kind, ciphertext, key_id, created_at, created_by)
            VALUES (@Id, @organizationId, @kind, @Ciphertext, @KeyId, @now, @createdBy)
            """,
            args, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>Revokes the kind's secrets not revoked yet; returns how many (the audit entry only when some were).</summary>
    public async Task<int> RevokeAsync(Guid organizationId, IntegrationKind kind, DateTimeOffset now, Func<int, AuditEntry> audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var revoked = await connection.ExecuteAsync(
            "UPDATE integration_secrets SET revoked_at = @now WHERE organization_id = @organizationId AND kind = @kind AND revoked_at IS NULL",
            new { organizationId, kind = kind.Name(), now = now.UtcDateTime }, tx);
        if (revoked > 0)
        {
            await AuditTrail.AppendAsync(connection, tx, audit(revoked));
        }

        await tx.CommitAsync();
        return revoked;
    }

    /// <summary>
    /// The secrets a delivery of the kind may be signed with at <paramref name="now"/> (not revoked,
    /// not past their grace period), encrypted. Read for every delivery, never cached: a revocation
    /// holds on every API instance from the moment it commits.
    /// </summary>
    public async Task<IReadOnlyList<StoredSecret>> AcceptedAsync(Guid organizationId, IntegrationKind kind, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<StoredSecret>(
            """
            SELECT id, ciphertext, key_id AS KeyId FROM integration_secrets
            WHERE organization_id = @organizationId AND kind = @kind AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)
            ORDER BY created_at DESC
            """,
            new { organizationId, kind = kind.Name(), now = now.UtcDateTime });
        return [.. rows];
    }

    private sealed class SecretRow
    {
        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public string Kind { get; set; } = "";

        public DateTime CreatedAt { get; set; }

        public string CreatedBy { get; set; } = "";

        public DateTime? ExpiresAt { get; set; }

        public DateTime? RevokedAt { get; set; }

        public IntegrationSecretView ToView() => new(
            Id, OrganizationId, DbText.FromDb<IntegrationKind>(Kind), DbText.Utc(CreatedAt), CreatedBy, DbText.Utc(ExpiresAt), DbText.Utc(RevokedAt));
    }
}

/// <summary>An accepted secret as stored: encrypted, with the id of the key that encrypted it.</summary>
public sealed record StoredSecret(Guid Id, byte[] Ciphertext, string KeyId);
