using System.Net;
using EventSeries.CheckIns;

namespace EventSeries.Tests.Api;

/// <summary>
/// The scan path keeps long-lived connections (the log writer's and the activation loader's loops).
/// When PostgreSQL drops every connection, as on its restart, scans fail clearly and admit nobody,
/// then work again on the scanner's retry, each scan logged once.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class DatabaseConnectionLossTests(PostgresServer postgres)
{
    [Fact]
    public async Task WhenEveryConnectionIsCut_ScansAnswer503WithoutAdmitting_AndARetryIsAdmittedOnce()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow());
        Assert.True((await g.ScanAsync(g.Wristbands[0].NfcId)).Allowed);

        // The assertions read through a pool of their own (another connection string), so that
        // only the system under test finds its connections cut.
        var db = host.ConnectionString + ";Application Name=assertions";
        var cut = await Db.ScalarAsync<long>(db,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        Assert.True(cut > 0);

        // Neither wristband was scanned before: each activation reads through the loader's loops
        // and each scan is logged through the writer's, whose connections were all cut.
        foreach (var wristband in new[] { g.Wristbands[1], g.Wristbands[2] })
        {
            var scanId = Guid.NewGuid();
            var failures = 0;
            ScanVerdict? verdict = null;
            for (var attempt = 0; attempt < 10 && verdict is null; attempt++)
            {
                using var response = await client.PostAsync($"/api/events/{g.Event.Id}/scans", new { nfcId = wristband.NfcId, gateId = g.Main.Id, scanId });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    verdict = await ApiClient.ReadAsync<ScanVerdict>(response, HttpStatusCode.OK);
                    continue;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal(0, await Db.CountAsync(db, "SELECT count(*) FROM checkin_logs WHERE scan_id = @id", ("id", scanId)));
                failures++;
            }

            Assert.True(verdict is { Allowed: true }, $"not admitted after {failures} failed attempts");
            Assert.Equal(1, await Db.CountAsync(db, "SELECT count(*) FROM checkin_logs WHERE scan_id = @id", ("id", scanId)));
            Assert.Equal(1, await Db.CountAsync(db,
                "SELECT count(*) FROM checkin_logs WHERE wristband_id = @w AND result = 'allowed'", ("w", wristband.Id)));
        }
    }
}
