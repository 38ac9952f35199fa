using System.Net;
using System.Net.Http.Headers;
using Npgsql;

namespace EventSeries.Tests.Exports;

/// <summary>
/// An export's database faults, on a system of its own (the tests lock and cut connections): before
/// the first byte the answer is a 503 with Retry-After; after it the transfer is aborted, so a
/// client never takes a truncated file for a whole one.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ExportFaultTests(PostgresServer postgres)
{
    /// <summary>How the export query of check-ins shows in pg_stat_activity.</summary>
    private const string ExportQuery = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE 'SELECT id, series_id, wristband_id%'";

    [Fact]
    public async Task ADatabaseFault_BeforeTheFirstByte_Answers503WithRetryAfter_AndTheNextExportWorks()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var client = host.Client((await Tenant.BootstrapAsync(host.ConnectionString)).Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow());
        await g.ScanAsync(g.Wristbands[0].NfcId);
        var url = $"/api/series/{g.Series.Id}/checkins/export?format=csv";

        // The log locked, the export's query waits for it; its connection is then cut, as a
        // database restart would.
        var db = host.ConnectionString + ";Application Name=assertions";
        await using (var locker = new NpgsqlConnection(db))
        {
            await locker.OpenAsync(TestContext.Current.CancellationToken);
            await using var tx = await locker.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var lockLog = new NpgsqlCommand("LOCK TABLE checkin_logs IN ACCESS EXCLUSIVE MODE", locker, tx))
            {
                await lockLog.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var export = client.GetAsync(url);
            await Eventually.ValueAsync(() => Db.CountAsync(db, $"SELECT count(*) FROM ({ExportQuery} AND wait_event_type = 'Lock') q"), n => n == 1);
            Assert.Equal(1, await Db.CountAsync(db, $"SELECT count(pg_terminate_backend(pid)) FROM ({ExportQuery}) q"));

            using var response = await export;
            await ApiClient.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Null(response.Content.Headers.ContentDisposition);
        }

        var text = await ExportFiles.DownloadAsync(client, url, "text/csv", $"series-{g.Series.Id}-checkins.csv");
        Assert.Equal(2, (await ExportFiles.ReadCsvAsync(text)).Count);
    }

    [Fact]
    public async Task ADatabaseFault_MidStream_AbortsTheTransfer_InsteadOfEndingAShortFile()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow());

        // Far more than every buffer between PostgreSQL and the client holds (about 30 MB of CSV),
        // so the export is still running when its connection is cut.
        const int rows = 100_000;
        await Db.ExecuteAsync(
            host.ConnectionString,
            """
            INSERT INTO checkin_logs (id, organization_id, event_id, series_id, nfc_id, category, gate_id, direction, result, reason, message, at)
            SELECT gen_random_uuid(), @org, @event, @series, 'X' || lpad(i::text, 9, '0'), 'general', @gate, 'in', 'denied', 'unknown_wristband',
                   'Unknown wristband: please see the box office.', now() - make_interval(secs => i / 1000.0)
              FROM generate_series(1, @rows) AS i
            """,
            ("org", tenant.OrganizationId), ("event", g.Event.Id), ("series", g.Series.Id), ("gate", g.Main.Id), ("rows", rows));

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
        using var response = await http.GetAsync($"/api/series/{g.Series.Id}/checkins/export?format=ndjson", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[64 * 1024];
        long received = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: true, TestContext.Current.CancellationToken);
        long lines = buffer.Count(b => b == (byte)'\n');

        var db = host.ConnectionString + ";Application Name=assertions";
        Assert.Equal(1, await Db.CountAsync(db, $"SELECT count(pg_terminate_backend(pid)) FROM ({ExportQuery}) q"));
        var failure = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                received += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        });

        Assert.True(failure is HttpIOException or IOException, $"the transfer ended without an error after {lines} of {rows} lines ({received} bytes): {failure}");
        Assert.True(lines < rows, $"all {rows} lines arrived before the fault");
    }
}
