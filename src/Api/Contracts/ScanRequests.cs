using System.Text.RegularExpressions;
using EventSeries.CheckIns;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/events/{eventId}/scans and POST /api/series/{id}/checkins/verify.</summary>
public sealed partial class ScanRequest
{
    /// <summary>The NFC UID the scanner read.</summary>
    public string? NfcId { get; init; }

    /// <summary>The gate the scanner stands at.</summary>
    public Guid? GateId { get; init; }

    /// <summary>in (the default) or out.</summary>
    public ScanDirection? Direction { get; init; }

    /// <summary>
    /// A client-chosen id, unique per event: sending the same scan again returns the first answer and
    /// changes nothing; the id with another nfcId, gateId or direction answers 409 scan_id_reused.
    /// Send one with every scan: with it the API retries a scan that meets a fault of the cluster or
    /// the database until the scan's deadline (2.5 s), and a 503 can be resent with it safely.
    /// </summary>
    public Guid? ScanId { get; init; }

    /// <summary>When the scanner read the wristband (stored for audit; decisions use the server's clock).</summary>
    public DateTimeOffset? ScannedAt { get; init; }

    public ScanCommand ToCommand(Caller caller, Guid eventId, Guid? seriesId)
    {
        var errors = new RequestErrors();
        if (NfcId is null || !NfcPattern().IsMatch(NfcId))
        {
            errors.Add("nfcId", "Required: 1-64 printable ASCII characters without spaces.");
        }

        var gateId = errors.Value(GateId, "gateId");
        errors.ThrowIfAny();
        return new ScanCommand(caller, eventId, NfcId!, gateId, Direction ?? ScanDirection.In, ScanId, ScannedAt, seriesId);
    }

    [GeneratedRegex("^[\\x21-\\x7E]{1,64}$")]
    private static partial Regex NfcPattern();
}
