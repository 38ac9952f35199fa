using System.Text.Json;

namespace EventSeries.Audit;

/// <summary>
/// One administrative write as the audit trail keeps it: who did what to which target, when, and a
/// summary of the target before and after (JSON; null where there was no before or no after).
/// </summary>
[GenerateSerializer, Immutable, Alias("es.audit.record")]
public sealed record class AuditRecord(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] Guid? ActorUserId,
    [property: Id(4)] string Actor,
    [property: Id(5)] string Action,
    [property: Id(6)] string TargetType,
    [property: Id(7)] string TargetId,
    [property: Id(8)] JsonElement? Before,
    [property: Id(9)] JsonElement? After);
