using EventSeries.CheckIns;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// Writes a check-in row straight into the log, as a silo that died or froze mid-scan would have
/// committed it, without any grain hearing of it: for tests of what the capacity shards make of rows
/// they were never told about.
/// </summary>
public static class LateLogRows
{
    /// <summary>An allowed entry (presence 1, +1) or exit (presence 2, -1) of <paramref name="wristband"/> at the scenario's Main gate.</summary>
    public static Task InsertAsync(string connectionString, GateScenario g, WristbandView wristband, Guid rowId, string direction = "in") =>
        Db.ExecuteAsync(connectionString,
            """
            INSERT INTO checkin_logs (id, organization_id, event_id, series_id, wristband_id, nfc_id, category, gate_id, direction, result, reason, message, at, presence_seq, occupancy_delta, capacity_shard)
            SELECT @id, e.organization_id, e.id, @series, @wristband, @nfc, 'general', @gate, @direction, 'allowed', 'ok', 'Logged late.', now(), @seq, @delta, @shard
            FROM events e WHERE e.id = @event
            """,
            ("id", rowId), ("series", g.Series.Id), ("wristband", wristband.Id), ("nfc", wristband.NfcId), ("gate", g.Main.Id), ("direction", direction),
            ("seq", direction == "in" ? 1 : 2), ("delta", (short)(direction == "in" ? 1 : -1)), ("shard", (short)CapacityShards.Of(wristband.Id)), ("event", g.Event.Id));
}
