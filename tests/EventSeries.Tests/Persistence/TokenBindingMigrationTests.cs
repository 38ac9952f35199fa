using EventSeries.Persistence;
using EventSeries.Persistence.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSeries.Tests.Persistence;

/// <summary>
/// Migration 0111 binds the tokens that were minted through an organization to it, and leaves the
/// bootstrap token personal: existing tokens keep their meaning where that was safe.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class TokenBindingMigrationTests(PostgresServer postgres)
{
    [Fact]
    public async Task TokensMintedThroughAnOrganization_AreBoundToIt_AndTheBootstrapTokenStaysPersonal()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken, name => Number(name) < 111);

        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), p = Guid.NewGuid(), q = Guid.NewGuid();
        Guid bootstrap = Guid.NewGuid(), mintedByQ = Guid.NewGuid(), selfMinted = Guid.NewGuid();
        await Db.ExecuteAsync(connectionString,
            """
            INSERT INTO organizations (id, name, created_at) VALUES (@a, 'A', now()), (@b, 'B', now());
            INSERT INTO users (id, display_name, created_at) VALUES (@p, 'P', now()), (@q, 'Q', now());
            INSERT INTO organization_members (organization_id, user_id, role, created_at)
                VALUES (@a, @p, 'owner', now()), (@b, @p, 'owner', now()), (@b, @q, 'owner', now());
            INSERT INTO api_tokens (id, user_id, token_hash, name, created_at, created_by)
                VALUES (@bootstrap, @p, '\x01', 'bootstrap', now(), NULL),
                       (@mintedByQ, @p, '\x02', 'by Q', now(), @q),
                       (@selfMinted, @p, '\x03', 'self', now(), @p);
            INSERT INTO audit_log (organization_id, at, actor_user_id, actor, action, target_type, target_id)
                VALUES (@a, now(), NULL, 'bootstrap', 'organization.bootstrap', 'organization', @a::text),
                       (@b, now(), @q, 'Q', 'token.issue', 'token', @mintedByQ::text),
                       (@a, now(), @p, 'P', 'token.issue', 'token', @selfMinted::text);
            """,
            ("a", a), ("b", b), ("p", p), ("q", q), ("bootstrap", bootstrap), ("mintedByQ", mintedByQ), ("selfMinted", selfMinted));

        await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken);

        await using var db = NpgsqlDataSource.Create(connectionString);
        var store = new OrganizationStore(db);
        var now = DateTimeOffset.UtcNow;
        var personal = (await store.FindCallerAsync([0x01], now))!.Value.Caller;
        Assert.True(personal.Memberships.Keys.ToHashSet().SetEquals([a, b]));
        Assert.Null(personal.BoundTo);
        var byQ = (await store.FindCallerAsync([0x02], now))!.Value.Caller;
        Assert.Equal([b], byQ.Memberships.Keys);
        Assert.Equal(b, byQ.BoundTo);
        var self = (await store.FindCallerAsync([0x03], now))!.Value.Caller;
        Assert.Equal([a], self.Memberships.Keys);
    }

    // Embedded names end in "Migrations.0111_token_binding.sql".
    private static int Number(string name) => int.Parse(name[(name.IndexOf("Migrations.", StringComparison.Ordinal) + "Migrations.".Length)..][..4]);
}
