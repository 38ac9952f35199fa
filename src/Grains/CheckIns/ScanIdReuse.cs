using EventSeries.CheckIns;
using EventSeries.Persistence.Audit;

namespace EventSeries.Grains.CheckIns;

/// <summary>
/// A scan id is the scanner's retry key: a repeat is answered with the first verdict. It must not
/// work as a credential, so a "repeat" that is not the same scan (another wristband, gate or
/// direction) is refused and recorded rather than handed someone else's ALLOW.
/// </summary>
public static class ScanIdReuse
{
    public const string Code = "scan_id_reused";

    public const string AuditAction = "scan.id_reused";

    /// <summary>The fields in which <paramref name="scan"/> differs from the first scan with its id (comma-separated), or null when it is the same scan.</summary>
    public static string? Differences(ScanVerdict first, string nfcId, ScanCommand scan)
    {
        var differs = new List<string>(3);
        if (!string.Equals(first.NfcId, nfcId, StringComparison.Ordinal))
        {
            differs.Add("nfcId");
        }

        if (first.GateId != scan.GateId)
        {
            differs.Add("gateId");
        }

        if (first.Direction != scan.Direction)
        {
            differs.Add("direction");
        }

        return differs.Count == 0 ? null : string.Join(',', differs);
    }

    /// <summary>The audit entry of a refused reuse: who tried, what the id was first used for, and what differed.</summary>
    public static AuditEntry Audit(ScanCommand scan, Guid organizationId, string nfcId, ScanVerdict first, string differs, DateTimeOffset now) =>
        AuditEntry.By(
            scan.Caller, organizationId, now, AuditAction, "scan", scan.ScanId!.Value,
            new { first.NfcId, first.GateId, first.Direction, first.CheckinId, first.Allowed },
            new { nfcId, scan.GateId, scan.Direction, differs, deviceId = scan.Caller.Scanner?.DeviceId });

    public static DomainException Refusal(Guid scanId, string differs) => DomainException.Conflict(
        Code, $"Scan id {scanId} was already used for another scan (its {differs} differ); nothing was admitted. A new scan needs a new scan id.");
}
