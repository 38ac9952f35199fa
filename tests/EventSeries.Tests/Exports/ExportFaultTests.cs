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

        await SeedAsync(host.ConnectionString, tenant, g);
        using var http = Client(host, tenant);
        using var response = await StartAsync(http, g);
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

        Assert.True(failure is HttpIOException or IOException, $"the transfer ended without an error after {lines} of {Rows} lines ({received} bytes): {failure}");
        Assert.True(lines < Rows, $"all {Rows} lines arrived before the fault");
    }

    [Fact]
    public async Task AClientThatHangsUp_StopsItsQuery_AndTheConnectionServesTheNextExport()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow());
        await SeedAsync(host.ConnectionString, tenant, g);
        var db = host.ConnectionString + ";Application Name=assertions";

        using (var http = Client(host, tenant))
        {
            using var response = await StartAsync(http, g);
            await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            await body.ReadAtLeastAsync(new byte[64 * 1024], 64 * 1024, throwOnEndOfStream: true, TestContext.Current.CancellationToken);
            Assert.Equal(1, await Db.CountAsync(db, $"SELECT count(*) FROM ({ExportQuery}) q"));
        }

        // The client is gone (its connection closed): the query stops and nothing is left running.
        await Eventually.ValueAsync(() => Db.CountAsync(db, $"SELECT count(*) FROM ({ExportQuery}) q"), n => n == 0);
        var text = await ExportFiles.DownloadAsync(client, $"/api/series/{g.Series.Id}/checkins/export?format=csv&result=allowed", "text/csv", $"series-{g.Series.Id}-checkins.csv");
        Assert.Single(await ExportFiles.ReadCsvAsync(text));
    }

    [Fact]
    public async Task PastTheConcurrentExportLimit_AnExportIs503WithRetryAfter_UntilASlotIsFree()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["EventSeries:Exports:MaxConcurrent"] = "1",
        });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow());
        await SeedAsync(host.ConnectionString, tenant, g);
        var url = $"/api/series/{g.Series.Id}/checkins/export?format=csv&result=allowed";

        // A slow reader holds the one slot (and its database connection) while its export runs.
        using (var http = Client(host, tenant))
        {
            using var slow = await StartAsync(http, g);
            using var refused = await client.GetAsync(url);
            await ApiClient.ProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // Its client gone, the slot is free again.
        var text = await Eventually.ValueAsync(
            async () => await (await client.GetAsync(url)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            t => !t.Contains("\"status\":503", StringComparison.Ordinal));
        Assert.Empty((await ExportFiles.ReadCsvAsync(text)).Skip(1));
    }

    /// <summary>
    /// Far more rows than every buffer between PostgreSQL and the client holds (about 30 MB of NDJSON),
    /// so an export is still running while the test reads slowly.
    /// </summary>
    private static Task SeedAsync(string connectionString, Tenant tenant, GateScenario g) => Db.ExecuteAsync(
        connectionString,
        """
        INSERT INTO checkin_logs (id, organization_id, event_id, series_id, nfc_id, category, gate_id, direction, result, reason, message, at)
        SELECT gen_random_uuid(), @org, @event, @series, 'X' || lpad(i::text, 9, '0'), 'general', @gate, 'in', 'denied', 'unknown_wristband',
               'Unknown wristband: please see the box office.', now() - make_interval(secs => i / 1000.0)
          FROM generate_series(1, @rows) AS i
        """,
        ("org", tenant.OrganizationId), ("event", g.Event.Id), ("series", g.Series.Id), ("gate", g.Main.Id), ("rows", Rows));

    private const int Rows = 100_000;

    private static HttpClient Client(ApiHost host, Tenant tenant)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
        return http;
    }

    /// <summary>Starts an NDJSON export of every row, returning once the headers arrived (the body is read by the test, slowly).</summary>
    private static async Task<HttpResponseMessage> StartAsync(HttpClient http, GateScenario g)
    {
        var response = await http.GetAsync($"/api/series/{g.Series.Id}/checkins/export?format=ndjson", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
