using EventSeries.Persistence.Exports;

namespace EventSeries.Api.Exports;

/// <summary>The metrics export's columns (<see cref="MetricsExportRow"/>; docs/exports.md explains each).</summary>
internal static class MetricsExportSchema
{
    public static readonly ExportSchema<MetricsExportRow> Schema = new(
        "metrics",
        ["minute", "gate_id", "gate_name", "category", "scans", "allowed", "denied", "annulled", "entries", "exits", "occupancy_change"],
        (csv, m) =>
        {
            csv.WriteField(m.Minute.UtcDateTime, default);
            csv.WriteField(m.GateId, default);
            csv.WriteField(m.GateName);
            csv.WriteField(m.Category);

            // Numbers, not text: a negative occupancy change stays a number for spreadsheets.
            csv.WriteField(m.Scans, default);
            csv.WriteField(m.Allowed, default);
            csv.WriteField(m.Denied, default);
            csv.WriteField(m.Annulled, default);
            csv.WriteField(m.Entries, default);
            csv.WriteField(m.Exits, default);
            csv.WriteField(m.OccupancyChange, default);
        });
}
