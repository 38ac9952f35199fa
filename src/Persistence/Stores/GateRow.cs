using EventSeries.Events;

namespace EventSeries.Persistence.Stores;

/// <summary>A gate as read from the gates table.</summary>
internal sealed class GateRow
{
    public const string Select =
        "SELECT id, event_id AS EventId, name, kind, status, allowed_categories AS AllowedCategories FROM gates";

    public Guid Id { get; set; }

    public Guid EventId { get; set; }

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public string Status { get; set; } = "";

    public string[] AllowedCategories { get; set; } = [];

    public GateView ToView() =>
        new(Id, EventId, Name, DbText.FromDb<GateKind>(Kind), DbText.FromDb<GateStatus>(Status), [.. AllowedCategories]);
}
