using EventSeries.Organizations;
using EventSeries.Persistence.Audit;
using EventSeries.Security;
using Npgsql;

namespace EventSeries.Persistence.Stores;

/// <summary>Creates the first organization, its owner and the owner's token: the way into an empty system.</summary>
public static class Bootstrapper
{
    /// <summary>What bootstrap created; <see cref="Secret"/> is the only copy of the token.</summary>
    public sealed record Result(Guid OrganizationId, Guid UserId, Guid TokenId, string Secret);

    public static async Task<Result> BootstrapAsync(string connectionString, string organizationName, string ownerName, string? ownerEmail, DomainTime clock)
    {
        var now = clock.Now();
        var result = new Result(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), TokenSecret.Generate());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO organizations (id, name, created_at) VALUES (@id, @name, @now)", connection, tx))
        {
            insert.Parameters.AddWithValue("id", result.OrganizationId);
            insert.Parameters.AddWithValue("name", organizationName);
            insert.Parameters.AddWithValue("now", now.UtcDateTime);
            await insert.ExecuteNonQueryAsync();
        }

        await OrganizationStore.InsertUserAsync(connection, tx, result.UserId, ownerName, ownerEmail, now);
        await OrganizationStore.InsertMembershipAsync(connection, tx, result.OrganizationId, result.UserId, Role.Owner, now);
        var token = new TokenView(result.TokenId, result.UserId, "bootstrap", now, null, null);
        await OrganizationStore.InsertTokenAsync(connection, tx, token, TokenSecret.Hash(result.Secret), null);
        await AuditTrail.AppendAsync(connection, tx, new AuditEntry(
            result.OrganizationId, now, null, "bootstrap", "organization.bootstrap", "organization", result.OrganizationId.ToString(), null,
            new { name = organizationName, owner = new { id = result.UserId, displayName = ownerName }, tokenId = result.TokenId }));
        await tx.CommitAsync();
        return result;
    }
}
