using EventSeries.Webhooks;

namespace EventSeries.Persistence.Webhooks;

/// <summary>A <c>webhook_subscriptions</c> row as Dapper reads it (without the secret).</summary>
internal sealed class WebhookSubscriptionRow
{
    public const string Columns =
        """
        id, organization_id AS OrganizationId, url, event_types AS EventTypes, description, status, paused_reason AS PausedReason,
        paused_at AS PausedAt, created_at AS CreatedAt, created_by AS CreatedBy, updated_at AS UpdatedAt
        """;

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public string Url { get; set; } = "";

    public string[] EventTypes { get; set; } = [];

    public string? Description { get; set; }

    public string Status { get; set; } = "";

    public string? PausedReason { get; set; }

    public DateTime? PausedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTime UpdatedAt { get; set; }

    public WebhookSubscriptionView ToView() => new(
        Id, OrganizationId, Url, [.. EventTypes], Description, DbText.FromDb<WebhookSubscriptionStatus>(Status), PausedReason,
        DbText.Utc(PausedAt), DbText.Utc(CreatedAt), CreatedBy, DbText.Utc(UpdatedAt));
}
