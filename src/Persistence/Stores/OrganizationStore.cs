using Dapper;
using EventSeries.Organizations;
using EventSeries.Security;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Notifications;
using Npgsql;

namespace EventSeries.Persistence.Stores;

/// <summary>Rows of organizations, users, memberships and tokens.</summary>
public sealed class OrganizationStore(NpgsqlDataSource db)
{
    /// <summary>The organization's row, or null.</summary>
    public async Task<OrganizationRow?> FindAsync(Guid organizationId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<OrganizationRow>(
            "SELECT id, name, created_at AS CreatedAt FROM organizations WHERE id = @organizationId", new { organizationId });
    }

    /// <summary>Creates an organization whose first owner is an existing user.</summary>
    public async Task CreateAsync(Guid organizationId, string name, Guid ownerUserId, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO organizations (id, name, created_at) VALUES (@organizationId, @name, @now)",
            new { organizationId, name, now = now.UtcDateTime }, tx);
        await InsertMembershipAsync(connection, tx, organizationId, ownerUserId, Role.Owner, now);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyCallerChangedAsync(connection, tx, ownerUserId);
        await tx.CommitAsync();
    }

    /// <summary>Deletes the organization and, by cascade, everything it owns (the check-in log and audit trail stay).</summary>
    public async Task DeleteAsync(Guid organizationId, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await ChangeNotifications.NotifyMembersChangedAsync(connection, tx, organizationId);
        await connection.ExecuteAsync("DELETE FROM organizations WHERE id = @organizationId", new { organizationId }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    /// <summary>Changes a member's role.</summary>
    public async Task ChangeRoleAsync(Guid organizationId, Guid userId, Role role, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE organization_members SET role = @role WHERE organization_id = @organizationId AND user_id = @userId",
            new { organizationId, userId, role = role.ToDb() }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyCallerChangedAsync(connection, tx, userId);
        await tx.CommitAsync();
    }

    /// <summary>Removes a member from the organization (the user and their other memberships stay).</summary>
    public async Task RemoveMemberAsync(Guid organizationId, Guid userId, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "DELETE FROM organization_members WHERE organization_id = @organizationId AND user_id = @userId", new { organizationId, userId }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyCallerChangedAsync(connection, tx, userId);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Creates a user, optionally with an e-mail. E-mails are unique within an organization (its
    /// grain checks), not across the system, so no answer tells whether an address is used elsewhere.
    /// </summary>
    public static async Task InsertUserAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, string displayName, string? email, DateTimeOffset now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO users (id, display_name, email, created_at) VALUES (@userId, @displayName, @email, @now)",
            new { userId, displayName, email, now = now.UtcDateTime }, tx);
    }

    /// <summary>Adds a new user to the organization with a role, in one transaction.</summary>
    public async Task AddMemberAsync(Guid organizationId, Guid userId, NewMember member, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await InsertUserAsync(connection, tx, userId, member.DisplayName, member.Email, now);
        await InsertMembershipAsync(connection, tx, organizationId, userId, member.Role, now);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    public static Task InsertMembershipAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid organizationId, Guid userId, Role role, DateTimeOffset now) =>
        connection.ExecuteAsync(
            "INSERT INTO organization_members (organization_id, user_id, role, created_at) VALUES (@organizationId, @userId, @role, @now)",
            new { organizationId, userId, role = role.ToDb(), now = now.UtcDateTime }, tx);

    /// <summary>The organization's members, oldest first.</summary>
    public async Task<ImmutableArray<MemberView>> GetMembersAsync(Guid organizationId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<MemberRow>(
            """
            SELECT u.id AS UserId, u.display_name AS DisplayName, u.email, m.role, m.created_at AS JoinedAt
            FROM organization_members m JOIN users u ON u.id = m.user_id
            WHERE m.organization_id = @organizationId
            ORDER BY m.created_at, u.id
            """,
            new { organizationId });
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>Stores a token's hash; the secret itself never reaches the database.</summary>
    public async Task InsertTokenAsync(TokenView token, byte[] hash, Guid? createdBy, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await InsertTokenAsync(connection, tx, token, hash, createdBy);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await tx.CommitAsync();
    }

    public static Task InsertTokenAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, TokenView token, byte[] hash, Guid? createdBy) =>
        connection.ExecuteAsync(
            """
            INSERT INTO api_tokens (id, user_id, organization_id, token_hash, name, created_at, created_by, expires_at)
            VALUES (@Id, @UserId, @OrganizationId, @hash, @Name, @createdAt, @createdBy, @expiresAt)
            """,
            new { token.Id, token.UserId, token.OrganizationId, hash, token.Name, createdAt = token.CreatedAt.UtcDateTime, createdBy, expiresAt = token.ExpiresAt?.UtcDateTime },
            tx);

    /// <summary>
    /// A user's tokens bound to <paramref name="organizationId"/>, and their personal tokens when
    /// <paramref name="includePersonal"/>, newest first.
    /// </summary>
    public async Task<ImmutableArray<TokenView>> GetTokensAsync(Guid userId, Guid organizationId, bool includePersonal)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<TokenRow>(
            $"""
            {TokenRow.Select}
            WHERE user_id = @userId AND (organization_id = @organizationId OR (@includePersonal AND organization_id IS NULL))
            ORDER BY created_at DESC, id
            """,
            new { userId, organizationId, includePersonal });
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>A token, or null.</summary>
    public async Task<TokenView?> FindTokenAsync(Guid tokenId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>($"{TokenRow.Select} WHERE id = @tokenId", new { tokenId });
        return row?.ToView();
    }

    /// <summary>Marks a token revoked (keeping the first revocation time).</summary>
    public async Task RevokeTokenAsync(TokenView token, DateTimeOffset now, AuditEntry audit)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, @now) WHERE id = @tokenId",
            new { tokenId = token.Id, now = now.UtcDateTime }, tx);
        await AuditTrail.AppendAsync(connection, tx, audit);
        await ChangeNotifications.NotifyCallerChangedAsync(connection, tx, token.UserId);
        await tx.CommitAsync();
    }

    /// <summary>
    /// The caller a token hash belongs to, or null when the token is unknown, revoked or expired.
    /// A personal token carries every membership of its person; a bound token only the membership
    /// in its organization (none, once the person left it).
    /// </summary>
    public async Task<(Caller Caller, DateTimeOffset? ExpiresAt)?> FindCallerAsync(byte[] tokenHash, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<CallerRow>(
            """
            SELECT u.id AS UserId, u.display_name AS DisplayName, m.organization_id AS OrganizationId, m.role,
                   t.expires_at AS ExpiresAt, t.organization_id AS BoundTo
            FROM api_tokens t
            JOIN users u ON u.id = t.user_id
            LEFT JOIN organization_members m
                ON m.user_id = u.id AND (t.organization_id IS NULL OR m.organization_id = t.organization_id)
            WHERE t.token_hash = @tokenHash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > @now)
            """,
            new { tokenHash, now = now.UtcDateTime })).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var memberships = rows
            .Where(r => r.OrganizationId is not null && r.Role is not null)
            .ToImmutableDictionary(r => r.OrganizationId!.Value, r => DbText.FromDb<Role>(r.Role!));
        return (new Caller(rows[0].UserId, rows[0].DisplayName, memberships) { BoundTo = rows[0].BoundTo }, DbText.Utc(rows[0].ExpiresAt));
    }

    public sealed class OrganizationRow
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";

        public DateTime CreatedAt { get; set; }
    }

    private sealed class MemberRow
    {
        public Guid UserId { get; set; }

        public string DisplayName { get; set; } = "";

        public string? Email { get; set; }

        public string Role { get; set; } = "";

        public DateTime JoinedAt { get; set; }

        public MemberView ToView() => new(UserId, DisplayName, Email, DbText.FromDb<Role>(Role), DbText.Utc(JoinedAt));
    }

    private sealed class TokenRow
    {
        public const string Select =
            "SELECT id, user_id AS UserId, organization_id AS OrganizationId, name, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt FROM api_tokens";

        public Guid Id { get; set; }

        public Guid UserId { get; set; }

        public string? Name { get; set; }

        public DateTime CreatedAt { get; set; }

        public DateTime? ExpiresAt { get; set; }

        public DateTime? RevokedAt { get; set; }

        public Guid? OrganizationId { get; set; }

        public TokenView ToView() => new(Id, UserId, Name, DbText.Utc(CreatedAt), DbText.Utc(ExpiresAt), DbText.Utc(RevokedAt)) { OrganizationId = OrganizationId };
    }

    private sealed class CallerRow
    {
        public Guid UserId { get; set; }

        public string DisplayName { get; set; } = "";

        public Guid? OrganizationId { get; set; }

        public string? Role { get; set; }

        public DateTime? ExpiresAt { get; set; }

        public Guid? BoundTo { get; set; }
    }
}
