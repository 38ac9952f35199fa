using Dapper;
using EventSeries.Tickets;
using Npgsql;

namespace EventSeries.Persistence.Tickets;

/// <summary>A ticket as read from the tickets table, with its paired wristband's NFC UID.</summary>
internal sealed class TicketRow
{
    public const string Select =
        """
        SELECT t.id, t.organization_id AS OrganizationId, t.event_id AS EventId, t.external_id AS ExternalId, t.source,
               t.holder_name AS HolderName, t.holder_email AS HolderEmail, t.ticket_type AS TicketType, t.status,
               t.wristband_id AS WristbandId, w.nfc_id AS NfcId, t.created_at AS CreatedAt, t.updated_at AS UpdatedAt
          FROM tickets t LEFT JOIN wristbands w ON w.id = t.wristband_id
        """;

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid EventId { get; set; }

    public string ExternalId { get; set; } = "";

    public string Source { get; set; } = "";

    public string? HolderName { get; set; }

    public string? HolderEmail { get; set; }

    public string TicketType { get; set; } = "";

    public string Status { get; set; } = "";

    public Guid? WristbandId { get; set; }

    public string? NfcId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public TicketView ToView(ImmutableArray<Guid> seriesIds) => new(
        Id, OrganizationId, EventId, ExternalId, Source, HolderName, HolderEmail, TicketType, DbText.FromDb<TicketStatus>(Status),
        seriesIds, WristbandId, NfcId, DbText.Utc(CreatedAt), DbText.Utc(UpdatedAt));

    /// <summary>The views of <paramref name="rows"/> with their series (one query for all of them).</summary>
    public static async Task<List<TicketView>> ToViewsAsync(NpgsqlConnection connection, IReadOnlyCollection<TicketRow> rows, NpgsqlTransaction? tx = null)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        var series = (await connection.QueryAsync<(Guid TicketId, Guid SeriesId)>(
            "SELECT ticket_id, series_id FROM series_tickets WHERE ticket_id = ANY(@ids)", new { ids }, tx))
            .ToLookup(s => s.TicketId, s => s.SeriesId);
        return [.. rows.Select(r => r.ToView([.. series[r.Id].Order()]))];
    }
}
