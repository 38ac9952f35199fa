using EventSeries.CheckIns;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Exports;

/// <summary>
/// The check-in export's columns: the list's fields (<see cref="CheckinLogEntry"/>), snake_case as
/// in the import files, timestamps in ISO 8601 UTC. Holder names and e-mails are not in the log, so
/// every role gets the same columns, as from the list.
/// </summary>
internal static class CheckinExportSchema
{
    public static readonly ExportSchema<CheckinLogEntry> Schema = new(
        "checkins",
        [
            "id", "series_id", "wristband_id", "nfc_id", "category", "gate_id", "direction", "result", "reason", "detail", "message",
            "scan_id", "scanned_at", "at", "actor_user_id", "annuls",
        ],
        (csv, e) =>
        {
            csv.WriteField(e.Id, default);
            csv.WriteField(e.SeriesId, default);
            csv.WriteField(e.WristbandId, default);

            // Text a person or a scanner chose (an unknown wristband's UID is whatever was read):
            // written as strings, so the writer escapes a leading = + - @ for spreadsheets.
            csv.WriteField(e.NfcId);
            csv.WriteField(e.Category);
            csv.WriteField(e.GateId, default);
            csv.WriteField(e.Direction == ScanDirection.In ? "in" : "out");
            csv.WriteField(Result(e.Result));
            csv.WriteField(e.Reason);
            csv.WriteField(e.Detail);
            csv.WriteField(e.Message);
            csv.WriteField(e.ScanId, default);
            csv.WriteField(e.ScannedAt?.UtcDateTime, default);
            csv.WriteField(e.At.UtcDateTime, default);
            csv.WriteField(e.ActorUserId, default);
            csv.WriteField(e.Annuls, default);
        });

    private static string Result(CheckinResult result) => result switch
    {
        CheckinResult.Allowed => "allowed",
        CheckinResult.Denied => "denied",
        _ => "annulled",
    };
}
