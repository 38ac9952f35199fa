using System.Net;

namespace EventSeries.Tests.Imports;

/// <summary>An import's limits (rows per file), on a host configured with a small one.</summary>
[Trait("Category", "Postgres")]
public sealed class WristbandImportLimitTests(PostgresServer postgres)
{
    [Fact]
    public async Task AFileOverTheRowLimit_IsRefused413_AndWritesNothing()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?> { ["EventSeries:Imports:MaxRows"] = "2" });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);

        await ApiClient.ProblemAsync(
            await ImportClient.UploadAsync(client, s.Event.Id, ImportClient.Csv("nfc_id,category", "G1,general", "G2,general", "G3,general")), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(0, await Db.CountAsync(host.ConnectionString, "SELECT count(*) FROM wristbands WHERE nfc_id LIKE 'G_'"));
        Assert.Equal("failed", await Db.ScalarAsync<string>(host.ConnectionString, "SELECT status FROM import_jobs"));
    }
}
