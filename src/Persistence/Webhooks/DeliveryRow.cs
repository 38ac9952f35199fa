using EventSeries.Webhooks;

namespace EventSeries.Persistence.Webhooks;

/// <summary>A <c>webhook_deliveries</c> row as listed.</summary>
internal sealed class DeliveryRow
{
    public const string Columns =
        """
        id, event_type AS EventType, status, attempts, occurred_at AS OccurredAt, next_attempt_at AS NextAttemptAt,
        last_status_code AS LastStatusCode, last_error AS LastError, finished_at AS FinishedAt
        """;

    public long Id { get; set; }

    public string EventType { get; set; } = "";

    public string Status { get; set; } = "";

    public int Attempts { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTime? FinishedAt { get; set; }

    public WebhookDeliveryView ToView() =>
        new(Id, EventType, Status, Attempts, DbText.Utc(OccurredAt), DbText.Utc(NextAttemptAt), LastStatusCode, LastError, DbText.Utc(FinishedAt));
}
