using System.Text.Json;
using EventSeries.CheckIns;
using EventSeries.Domain.CheckIns;
using EventSeries.Grains.CheckIns.Metrics;
using EventSeries.Persistence.CheckIns;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSeries.Tests.Grains;

/// <summary>
/// The live metrics are folded from the scan stream by <see cref="MetricsAccumulator"/>; a recompute
/// reads them from the log in SQL (<see cref="MetricsStore"/>). The two must agree on any log:
/// generated sequences of allowed, denied and annulled rows (several wristbands, gates, categories
/// and minutes, both directions) are written through the real log writer, and both sides compared.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class MetricsAgreementTests(PostgresServer postgres)
{
    private const int Sequences = 40;

    private static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);
    private static readonly Guid[] Wristbands = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
    private static readonly Guid[] Gates = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

    [Fact]
    public async Task TheStreamFedNumbers_EqualTheRecomputeFromTheLog_ForGeneratedScanSequences()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var writer = new CheckinLogWriter(db, NullLogger<CheckinLogWriter>.Instance);
        var store = new MetricsStore(db);

        foreach (var scans in Scan.ListOf().Sample(Sequences, 40))
        {
            var seriesId = Guid.NewGuid();
            var rows = scans.Select(s => s.ToRow(seriesId)).ToList();
            foreach (var row in rows)
            {
                Assert.True(await writer.AppendAsync(row));
            }

            var accumulator = new MetricsAccumulator();
            foreach (var row in rows)
            {
                accumulator.Apply(row.ToScanEvent());
            }

            var computedAt = Start.AddDays(1);
            var recomputed = await store.ComputeAsync(seriesId, computedAt, TimeSpan.FromMinutes(1));
            Assert.Equal(Json(recomputed.Metrics), Json(accumulator.ToMetrics(seriesId, computedAt)));
        }
    }

    private static string Json(SeriesMetrics metrics) => JsonSerializer.Serialize(metrics, JsonSerializerOptions.Web);

    private static FsCheck.Gen<GeneratedScan> Scan =>
        from wristband in Gen.Frequency((5, Gen.Elements(Wristbands).Select(w => (Guid?)w)), (1, Gen.Constant<Guid?>(null)))
        from gate in Gen.Elements(Gates)
        from category in Gen.Elements<string?>("general", "vip", null)
        from direction in Gen.Elements(ScanDirection.In, ScanDirection.Out)
        from result in Gen.Frequency((5, Gen.Constant(CheckinResult.Allowed)), (3, Gen.Constant(CheckinResult.Denied)), (1, Gen.Constant(CheckinResult.Annulled)))
        from reason in Gen.Elements(ScanReasons.All.ToArray())
        from minute in Gen.Choose(0, 4)
        from second in Gen.Choose(0, 59)
        from delta in Gen.Elements(-1, 0, 1)
        select new GeneratedScan(wristband, gate, category, direction, result, reason, Start.AddMinutes(minute).AddSeconds(second), delta);

    private sealed record GeneratedScan(
        Guid? Wristband, Guid Gate, string? Category, ScanDirection Direction, CheckinResult Result, string Reason, DateTimeOffset At, int Delta)
    {
        public CheckinRow ToRow(Guid seriesId) => new(
            Guid.CreateVersion7(), Guid.Empty, Guid.Empty, seriesId, Wristband, "NFC", Category, Gate, Direction, Result,
            Result == CheckinResult.Allowed ? ScanReasons.Ok : Result == CheckinResult.Annulled ? ScanReasons.Annulled : Reason,
            null, "m", null, null, At, null, null, Delta, null, null);
    }
}
