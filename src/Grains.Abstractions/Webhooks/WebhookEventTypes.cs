namespace EventSeries.Webhooks;

/// <summary>The event types an organization can subscribe a URL to (the <c>type</c> of each delivery's body).</summary>
public static class WebhookEventTypes
{
    /// <summary>An allowed scan (entry or exit) was logged.</summary>
    public const string CheckinCreated = "checkin.created";

    /// <summary>A denied scan was logged, with its reason.</summary>
    public const string CheckinDenied = "checkin.denied";

    /// <summary>A series moved through its lifecycle (by a person or automatically).</summary>
    public const string SeriesTransitioned = "series.transitioned";

    /// <summary>A ticket changed (void, edit, payment, exchange, an import's changed rows).</summary>
    public const string TicketUpdated = "ticket.updated";

    /// <summary>A wristband or ticket import finished merging.</summary>
    public const string ImportCompleted = "import.completed";

    public static readonly ImmutableArray<string> All = [CheckinCreated, CheckinDenied, SeriesTransitioned, TicketUpdated, ImportCompleted];
}
