using Dapper;
using EventSeries.Audit;
using EventSeries.Persistence.Queries;
using Npgsql;

namespace EventSeries.Persistence.Audit;

/// <summary>
/// The audit trail: appended inside the transaction of the write it records (so a write that rolls
/// back leaves no entry, and a committed write always has one), and paged for admins.
/// </summary>
public sealed class AuditTrail(NpgsqlDataSource db)
{
    /// <summary>Appends entries within the caller's transaction.</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx, params IReadOnlyCollection<AuditEntry> entries)
    {
        foreach (var e in entries)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO audit_log (organization_id, at, actor_user_id, actor, action, target_type, target_id, before, after)
                VALUES (@OrganizationId, @at, @ActorUserId, @Actor, @Action, @TargetType, @TargetId, @before::jsonb, @after::jsonb)
                """,
                new { e.OrganizationId, at = e.At.UtcDateTime, e.ActorUserId, e.Actor, e.Action, e.TargetType, e.TargetId, before = e.BeforeJson, after = e.AfterJson },
                tx);
        }
    }

    /// <summary>Appends one entry on its own (a refused attempt worth recording, with no write to join).</summary>
    public async Task RecordAsync(AuditEntry entry)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await AppendAsync(connection, tx, entry);
        await tx.CommitAsync();
    }

    /// <summary>One organization's entries, newest first, optionally filtered by action or target.</summary>
    public async Task<Page<AuditRecord>> ListAsync(Guid organizationId, string? action, string? targetId, PageRequest page)
    {
        await using var connection = await db.OpenConnectionAsync();
        var args = new { organizationId, action, targetId, page.PageSize, page.Offset };
        const string where = "organization_id = @organizationId AND (@action::text IS NULL OR action = @action) AND (@targetId::text IS NULL OR target_id = @targetId)";
        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE {where}", args);
        var rows = await connection.QueryAsync<AuditRow>(
            $"""
            SELECT id, organization_id AS OrganizationId, at, actor_user_id AS ActorUserId, actor, action, target_type AS TargetType,
                   target_id AS TargetId, before::text AS Before, after::text AS After
            FROM audit_log WHERE {where} ORDER BY id DESC LIMIT @PageSize OFFSET @Offset
            """,
            args);
        return new([.. rows.Select(r => r.ToRecord())], page.PageNumber, page.PageSize, total);
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }

        public Guid OrganizationId { get; set; }

        public DateTime At { get; set; }

        public Guid? ActorUserId { get; set; }

        public string Actor { get; set; } = "";

        public string Action { get; set; } = "";

        public string TargetType { get; set; } = "";

        public string TargetId { get; set; } = "";

        public string? Before { get; set; }

        public string? After { get; set; }

        public AuditRecord ToRecord() =>
            new(Id, OrganizationId, DbText.Utc(At), ActorUserId, Actor, Action, TargetType, TargetId, Parse(Before), Parse(After));

        private static System.Text.Json.JsonElement? Parse(string? json) =>
            json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
    }
}
