using System.Net;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Persistence.Exports;
using EventSeries.Series;

namespace EventSeries.Tests.Exports;

/// <summary>
/// <c>GET /api/series/{id}/metrics/export</c>: per minute, gate and category rows grouped in SQL,
/// whose sums are the metrics endpoint's numbers (recomputed from the same log).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class MetricsExportTests(ApiFixture fixture)
{
    [Fact]
    public async Task TheRowsSums_AreTheMetricsEndpointsTotals_PerGateCategoryAndMinute()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 3, vip: 2, capacity: 50);
        var first = await g.ScanAsync(g.Wristbands[0].NfcId);
        await g.ScanAsync(g.Wristbands[0].NfcId);
        await g.ScanAsync(g.Wristbands[1].NfcId);
        await g.ScanAsync(g.Wristbands[3].NfcId, g.Vip);
        await fixture.AdvanceAsync(TimeSpan.FromMinutes(2));
        await g.ScanAsync(g.Wristbands[1].NfcId, direction: "out");
        await g.ScanAsync(g.Wristbands[2].NfcId, g.Vip);
        await g.ScanAsync(g.Wristbands[4].NfcId, g.Vip);
        await g.VerifyAsync("NOT-REGISTERED-1");
        var entry = await g.ScanAsync(g.Wristbands[2].NfcId);
        Assert.True(first.Allowed && entry.Allowed);
        await client.PostOkAsync<ScanVerdict>($"/api/series/{g.Series.Id}/checkins/{entry.CheckinId}/annul", new { }, HttpStatusCode.OK);

        var metrics = await client.PostOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics/compute", new { }, HttpStatusCode.OK);
        var rows = ExportFiles.ReadNdjson<MetricsExportRow>(await ExportFiles.DownloadAsync(
            client, $"/api/series/{g.Series.Id}/metrics/export?format=ndjson", "application/x-ndjson", $"series-{g.Series.Id}-metrics.ndjson"));
        var csv = await ExportFiles.ReadCsvAsync(await ExportFiles.DownloadAsync(
            client, $"/api/series/{g.Series.Id}/metrics/export?format=csv", "text/csv", $"series-{g.Series.Id}-metrics.csv"));

        Assert.Equal(["minute", "gate_id", "gate_name", "category", "scans", "allowed", "denied", "annulled", "entries", "exits", "occupancy_change"], csv[0]);
        Assert.Equal(rows, csv.Skip(1).Select(ExportFiles.ToMetrics).ToList());
        Assert.Equal(2, rows.Select(r => r.Minute).Distinct().Count());
        Assert.Equal((9L, 1L), (rows.Sum(r => r.Scans), rows.Sum(r => r.Annulled)));
        Assert.Equal(metrics.TotalScans, rows.Sum(r => r.Scans - r.Annulled));
        Assert.Equal(metrics.Allowed, rows.Sum(r => r.Allowed - r.Annulled));
        Assert.Equal(metrics.Denied, rows.Sum(r => r.Denied));
        Assert.Equal(metrics.Occupancy, rows.Sum(r => r.OccupancyChange));
        Assert.Equal((5L, 1L), (rows.Sum(r => r.Entries), rows.Sum(r => r.Exits))); // the annulled entry is still an entry row
        Assert.Equal(metrics.PerGate, Counts(rows, r => r.GateId));
        Assert.Equal(metrics.PerCategory, Counts(rows, r => r.Category ?? "unknown"));
        Assert.Equal(metrics.PerMinute, [.. rows.GroupBy(r => r.Minute).OrderBy(m => m.Key).Select(m => new MinuteCounts(m.Key, m.Sum(r => r.Allowed - r.Annulled), m.Sum(r => r.Denied)))]);
        Assert.All(rows, r => Assert.Equal(r.GateId == g.Main.Id ? "Main" : "VIP", r.GateName));

        // from/to keep whole minutes of the log: here only the second one.
        var later = rows.Max(r => r.Minute);
        var since = ExportFiles.ReadNdjson<MetricsExportRow>(await ExportFiles.DownloadAsync(
            client, $"/api/series/{g.Series.Id}/metrics/export?format=ndjson&from={Uri.EscapeDataString(later.ToString("O"))}", "application/x-ndjson", $"series-{g.Series.Id}-metrics.ndjson"));
        Assert.Equal(rows.Where(r => r.Minute == later), since);
    }

    [Fact]
    public async Task AGateNamedLikeAFormula_WithCommasQuotesAndALineBreak_IsQuotedAndEscaped()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());
        const string name = "=cmd|' /C calc'!A0, \"North\"\nside";
        var gate = await client.PostOkAsync<GateView>($"/api/events/{g.Event.Id}/gates", new { name, kind = "mixed" });
        await client.PostAsync($"/api/series/{g.Series.Id}/gates", new { gateIds = new[] { gate.Id } });
        Assert.True((await g.ScanAsync(g.Wristbands[0].NfcId, gate)).Allowed);

        var text = await ExportFiles.DownloadAsync(client, $"/api/series/{g.Series.Id}/metrics/export?format=csv", "text/csv", $"series-{g.Series.Id}-metrics.csv");

        Assert.Contains(",\"'=cmd|' /C calc'!A0, \"\"North\"\"\nside\",general,1,1,0,0,1,0,1\r\n", text, StringComparison.Ordinal);
        var row = Assert.Single((await ExportFiles.ReadCsvAsync(text)).Skip(1));
        Assert.Equal("'" + name, row[2]);
        var json = Assert.Single(ExportFiles.ReadNdjson<MetricsExportRow>(await ExportFiles.DownloadAsync(
            client, $"/api/series/{g.Series.Id}/metrics/export?format=ndjson", "application/x-ndjson", $"series-{g.Series.Id}-metrics.ndjson")));
        Assert.Equal(name, json.GateName);
    }

    private static ImmutableSortedDictionary<TKey, ScanCounts> Counts<TKey>(IEnumerable<MetricsExportRow> rows, Func<MetricsExportRow, TKey> key)
        where TKey : notnull =>
        rows.GroupBy(key).ToImmutableSortedDictionary(
            x => x.Key, x => new ScanCounts(x.Sum(r => r.Scans - r.Annulled), x.Sum(r => r.Allowed - r.Annulled), x.Sum(r => r.Denied)));
}
