namespace EventSeries.Security;

/// <summary>
/// What a scanner device's token may reach: scanning (and reading what a scanner needs) at one
/// event of one organization, at the listed gates only when <see cref="GateIds"/> is not empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.scanner-scope")]
public sealed record class ScannerScope(
    [property: Id(0)] Guid DeviceId,
    [property: Id(1)] Guid OrganizationId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] ImmutableArray<Guid> GateIds)
{
    /// <summary>Whether the device may scan at <paramref name="gateId"/> of <paramref name="eventId"/>.</summary>
    public bool Covers(Guid eventId, Guid gateId) =>
        eventId == EventId && (GateIds.IsDefaultOrEmpty || GateIds.Contains(gateId));
}
