using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Secrets;

/// <summary>
/// Re-encrypts every stored signing secret (incoming: <c>integration_secrets</c>; outgoing:
/// <c>webhook_subscriptions</c>) under the current key, decrypting with the current or a previous
/// key (<see cref="IntegrationOptions.PreviousSecretKeys"/>): the middle step of changing the key
/// (docs/webhooks.md). Rows already under the current key are left alone, so running it twice is
/// harmless; a row no configured key decrypts is counted and named, and left as it is.
/// </summary>
public sealed class SecretReencryption(NpgsqlDataSource db, SecretProtector protector)
{
    public async Task<SecretReencryptionResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (!protector.IsConfigured)
        {
            throw new InvalidOperationException($"{IntegrationOptions.Section}:SecretKey is not set: there is no key to re-encrypt under.");
        }

        var incoming = await ReencryptAsync(
            "SELECT id, organization_id AS OrganizationId, kind AS Purpose, ciphertext, key_id AS KeyId FROM integration_secrets",
            "UPDATE integration_secrets SET ciphertext = @ciphertext, key_id = @keyId WHERE id = @id AND key_id = @oldKeyId",
            cancellationToken);
        var outgoing = await ReencryptAsync(
            $"SELECT id, organization_id AS OrganizationId, '{SecretProtector.WebhookOutPurpose}' AS Purpose, ciphertext, key_id AS KeyId FROM webhook_subscriptions",
            "UPDATE webhook_subscriptions SET ciphertext = @ciphertext, key_id = @keyId WHERE id = @id AND key_id = @oldKeyId",
            cancellationToken);
        return new SecretReencryptionResult(
            incoming.Reencrypted + outgoing.Reencrypted, incoming.AlreadyCurrent + outgoing.AlreadyCurrent, [.. incoming.Undecryptable, .. outgoing.Undecryptable]);
    }

    private async Task<SecretReencryptionResult> ReencryptAsync(string select, string update, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(select, cancellationToken: cancellationToken))).ToList();
        int reencrypted = 0, current = 0;
        var undecryptable = new List<Guid>();
        foreach (var row in rows)
        {
            if (row.KeyId == protector.KeyId)
            {
                current++;
                continue;
            }

            if (protector.Reseal(row.OrganizationId, row.Purpose, row.Id, row.Ciphertext) is not { } resealed)
            {
                undecryptable.Add(row.Id);
                continue;
            }

            // Only if nobody changed it meanwhile (a rotation through the API writes the current key's id).
            reencrypted += await connection.ExecuteAsync(new CommandDefinition(
                update, new { id = row.Id, ciphertext = resealed, keyId = protector.KeyId, oldKeyId = row.KeyId }, cancellationToken: cancellationToken));
        }

        return new SecretReencryptionResult(reencrypted, current, undecryptable);
    }

    private sealed class Row
    {
        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public string Purpose { get; set; } = "";

        public byte[] Ciphertext { get; set; } = [];

        public string KeyId { get; set; } = "";
    }
}

/// <summary>What <see cref="SecretReencryption"/> did: rows re-encrypted, rows already under the current key, rows no key decrypts.</summary>
public sealed record SecretReencryptionResult(int Reencrypted, int AlreadyCurrent, IReadOnlyList<Guid> Undecryptable);
