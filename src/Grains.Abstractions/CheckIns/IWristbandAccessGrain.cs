using EventSeries.Security;
using EventSeries.Wristbands;

namespace EventSeries.CheckIns;

/// <summary>
/// A wristband at the gates, keyed <c>"{eventId:N}/{nfcId}"</c> so a scanner's NFC read reaches it
/// without a lookup. Holds the wristband, its assignments and its presence in each series in memory
/// (rebuilt from the check-in log on activation) and decides every scan in one call.
/// </summary>
[Alias("es.wristband-access")]
public interface IWristbandAccessGrain : IGrainWithStringKey
{
    /// <summary>
    /// Decides a scan, logs it durably, and answers; the same scan id again returns the first answer
    /// when it is the same scan (wristband, gate, direction), else 409 <c>scan_id_reused</c>.
    /// </summary>
    [Alias("scan")]
    Task<ScanVerdict> ScanAsync(ScanCommand scan);

    /// <summary>Undoes an allowed entry that did not happen (the same scanner, person or device, or a manager, within 15 minutes).</summary>
    [Alias("annul")]
    Task<ScanVerdict> AnnulAsync(Caller caller, Guid seriesId, Guid checkinId);

    /// <summary>Tells the grain its wristband's status changed (lost, stolen...), so the next scan sees it.</summary>
    [Alias("status-changed")]
    Task StatusChangedAsync(WristbandStatus status);

    /// <summary>
    /// Tells the grain its wristband's ticket changed (paired, re-paired, voided, refunded...) or its
    /// category and assignments did with an exchange: it reads its rows again, so the next scan sees it.
    /// </summary>
    [Alias("ticket-changed")]
    Task TicketChangedAsync();

    /// <summary>Tells the grain it was removed from a series.</summary>
    [Alias("unassigned")]
    Task UnassignedAsync(Guid seriesId);
}
