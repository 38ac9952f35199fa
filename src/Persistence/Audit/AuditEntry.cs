using System.Text.Json;
using EventSeries.Security;

namespace EventSeries.Persistence.Audit;

/// <summary>
/// An administrative write to record with the write itself (see <see cref="AuditTrail"/>). The grain
/// that makes the change builds it, because only it knows the before and after.
/// </summary>
public sealed record AuditEntry(
    Guid OrganizationId,
    DateTimeOffset At,
    Guid? ActorUserId,
    string Actor,
    string Action,
    string TargetType,
    string TargetId,
    object? Before,
    object? After)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>An entry for a write by <paramref name="caller"/> (an integration is named, with no user id).</summary>
    public static AuditEntry By(Caller caller, Guid organizationId, DateTimeOffset at, string action, string targetType, object targetId, object? before, object? after) =>
        new(organizationId, at, caller.Integration is null ? caller.UserId : null, caller.Integration ?? caller.DisplayName, action, targetType, targetId.ToString() ?? "", before, after);

    /// <summary>An entry for a write the system made on its own (automatic lifecycle).</summary>
    public static AuditEntry BySystem(Guid organizationId, DateTimeOffset at, string action, string targetType, object targetId, object? before, object? after) =>
        new(organizationId, at, null, "system", action, targetType, targetId.ToString() ?? "", before, after);

    internal string? BeforeJson => Before is null ? null : JsonSerializer.Serialize(Before, Json);

    internal string? AfterJson => After is null ? null : JsonSerializer.Serialize(After, Json);
}
