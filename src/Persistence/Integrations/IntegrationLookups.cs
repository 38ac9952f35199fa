using Dapper;

namespace EventSeries.Persistence.Integrations;

/// <summary>
/// Finds what a delivery names, within the organization whose secret signed it: every query here is
/// scoped by organization, so a delivery signed by one organization never finds another's rows.
/// </summary>
public sealed class IntegrationLookups(Npgsql.NpgsqlDataSource db)
{
    /// <summary>
    /// Tickets of the organization by our id, or by the id in the system they came from (source and
    /// external id, within one event when given). More than one means the reference is ambiguous.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FindTicketsAsync(Guid organizationId, Guid? ticketId, Guid? eventId, string? source, string? externalId)
    {
        await using var connection = await db.OpenConnectionAsync();
        var found = await connection.QueryAsync<Guid>(
            """
            SELECT id FROM tickets
            WHERE organization_id = @organizationId
              AND (@ticketId::uuid IS NULL OR id = @ticketId)
              AND (@eventId::uuid IS NULL OR event_id = @eventId)
              AND (@source::text IS NULL OR source = @source)
              AND (@externalId::text IS NULL OR external_id = @externalId)
            LIMIT 2
            """,
            new { organizationId, ticketId, eventId, source, externalId });
        return [.. found];
    }

    /// <summary>A wristband of the organization's event by NFC UID, or null.</summary>
    public async Task<Guid?> FindWristbandAsync(Guid organizationId, Guid eventId, string nfcId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid?>(
            "SELECT id FROM wristbands WHERE organization_id = @organizationId AND event_id = @eventId AND nfc_id = @nfcId",
            new { organizationId, eventId, nfcId });
    }

    /// <summary>The wristband paired with a ticket of the organization, or null.</summary>
    public async Task<Guid?> FindPairedWristbandAsync(Guid organizationId, Guid ticketId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid?>(
            "SELECT wristband_id FROM tickets WHERE organization_id = @organizationId AND id = @ticketId", new { organizationId, ticketId });
    }
}
