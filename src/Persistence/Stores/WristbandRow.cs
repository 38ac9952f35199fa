using EventSeries.Wristbands;

namespace EventSeries.Persistence.Stores;

/// <summary>A wristband as read from the wristbands table.</summary>
internal sealed class WristbandRow
{
    public const string Select =
        "SELECT id, event_id AS EventId, organization_id AS OrganizationId, nfc_id AS NfcId, category, status, created_at AS CreatedAt, updated_at AS UpdatedAt, holder_name AS HolderName, holder_email AS HolderEmail FROM wristbands";

    public Guid Id { get; set; }

    public Guid EventId { get; set; }

    public Guid OrganizationId { get; set; }

    public string NfcId { get; set; } = "";

    public string Category { get; set; } = "";

    public string Status { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? HolderName { get; set; }

    public string? HolderEmail { get; set; }

    public WristbandView ToView() =>
        new(Id, EventId, OrganizationId, NfcId, Category, DbText.FromDb<WristbandStatus>(Status), DbText.Utc(CreatedAt), DbText.Utc(UpdatedAt))
        {
            HolderName = HolderName,
            HolderEmail = HolderEmail,
        };
}
