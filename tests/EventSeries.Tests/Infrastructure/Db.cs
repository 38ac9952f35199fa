using Npgsql;

namespace EventSeries.Tests.Infrastructure;

/// <summary>Direct SQL for assertions: what is really in PostgreSQL, not what the API says.</summary>
public static class Db
{
    /// <summary>Runs a statement (setting up rows a test needs, or a state from before a migration).</summary>
    public static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<long> CountAsync(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>A fingerprint of every domain table (counts and the fields writes change), the audit trail and the check-in log, to prove a refused request changed nothing.</summary>
    /// <summary>A fingerprint with the audit trail's count left out (its 21st field).</summary>
    public static string WithoutAudit(string fingerprint)
    {
        var fields = fingerprint.Split(',');
        return string.Join(',', fields.Where((_, i) => i != AuditField));
    }

    // Position of "(SELECT count(*) FROM audit_log)" in the fingerprint below.
    private const int AuditField = 20;

    public static async Task<string> FingerprintAsync(string connectionString)
    {
        const string sql =
            """
            SELECT concat_ws(',',
              (SELECT count(*) FROM organizations), (SELECT count(*) FROM users), (SELECT count(*) FROM organization_members),
              (SELECT count(*) FROM api_tokens), (SELECT count(*) FROM events), (SELECT count(*) FROM categories),
              (SELECT count(*) FROM gates), (SELECT count(*) FROM wristbands), (SELECT count(*) FROM event_series),
              (SELECT count(*) FROM series_gates), (SELECT count(*) FROM series_category_limits),
              (SELECT count(*) FROM series_wristband_assignments), (SELECT count(*) FROM series_state_transitions),
              (SELECT coalesce(sum(version), 0) FROM event_series),
              (SELECT coalesce(string_agg(lifecycle_status, '' ORDER BY id), '') FROM event_series),
              (SELECT coalesce(string_agg(status, '' ORDER BY id), '') FROM wristbands),
              (SELECT coalesce(string_agg(role, '' ORDER BY organization_id, user_id), '') FROM organization_members),
              (SELECT count(*) FILTER (WHERE revoked_at IS NOT NULL) FROM api_tokens),
              (SELECT count(*) FROM scanner_devices), (SELECT count(*) FILTER (WHERE revoked_at IS NOT NULL) FROM scanner_devices),
              (SELECT count(*) FROM audit_log), (SELECT count(*) FROM checkin_logs), (SELECT count(*) FROM series_jobs),
              (SELECT coalesce(sum(length(name) + length(coalesce(description, ''))), 0) FROM events),
              (SELECT coalesce(string_agg(name || status || kind, '' ORDER BY id), '') FROM gates),
              (SELECT count(*) FROM tickets), (SELECT count(*) FROM series_tickets),
              (SELECT coalesce(string_agg(status || coalesce(wristband_id::text, '-') || ticket_type || external_id || coalesce(holder_name, ''), '' ORDER BY id), '') FROM tickets),
              (SELECT coalesce(string_agg(category, '' ORDER BY id), '') FROM wristbands),
              -- Webhook subscriptions without their status: senders pause them in the background.
              (SELECT count(*) FROM webhook_subscriptions),
              (SELECT coalesce(string_agg(url || array_to_string(event_types, '|') || coalesce(description, '') || encode(ciphertext, 'hex'), '' ORDER BY id), '') FROM webhook_subscriptions))
            """;
        return (await ScalarAsync<string>(connectionString, sql))!;
    }
}
