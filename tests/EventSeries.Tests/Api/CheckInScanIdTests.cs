using System.Net;
using EventSeries.CheckIns;

namespace EventSeries.Tests.Api;

/// <summary>
/// A scan id is a retry key, not a credential: a repeat answers the first verdict only when it is
/// the same scan (wristband, gate, direction); anything else is refused as a reused id and audited.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class CheckInScanIdTests(ApiFixture fixture)
{
    [Fact]
    public async Task AReusedScanId_WithAnotherWristbandGateOrDirection_Is409_AdmitsNobody_AndIsAudited()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), general: 3, vip: 1);
        var scanId = Guid.NewGuid();
        var first = await g.ScanAsync(g.Wristbands[3].NfcId, scanId: scanId);
        Assert.True(first.Allowed);

        // Another registered wristband, one nobody registered, another gate, the other direction.
        var replays = new (string Differs, object Body)[]
        {
            ("nfcId", new { nfcId = g.Wristbands[0].NfcId, gateId = g.Main.Id, direction = "in", scanId }),
            ("nfcId", new { nfcId = "NOBODYS" + g.Event.Id.ToString("N")[..8], gateId = g.Main.Id, direction = "in", scanId }),
            ("gateId", new { nfcId = g.Wristbands[3].NfcId, gateId = g.Vip.Id, direction = "in", scanId }),
            ("direction", new { nfcId = g.Wristbands[3].NfcId, gateId = g.Main.Id, direction = "out", scanId }),
        };
        foreach (var (differs, body) in replays)
        {
            var problem = await ApiClient.ProblemAsync(await client.PostAsync($"/api/events/{g.Event.Id}/scans", body), HttpStatusCode.Conflict, "scan_id_reused");
            Assert.Contains(differs, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Nothing was admitted or logged for the replays, and the real retry still gets its answer.
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM checkin_logs WHERE event_id = @e", ("e", g.Event.Id)));
        Assert.Equal(first, await g.ScanAsync(g.Wristbands[3].NfcId, scanId: scanId));
        Assert.True((await g.ScanAsync(g.Wristbands[0].NfcId)).Allowed, "the wristband whose card was replayed was not let in by the replay");

        // Each attempt is in the audit trail: who tried, with which scan id, and what differed.
        Assert.Equal(4, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = 'scan.id_reused' AND target_id = @id AND actor_user_id = @actor AND organization_id = @org",
            ("id", scanId.ToString()), ("actor", tenant.OwnerId), ("org", tenant.OrganizationId)));
        Assert.Equal("direction,gateId,nfcId,nfcId", await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT string_agg(after->>'differs', ',' ORDER BY after->>'differs') FROM audit_log WHERE action = 'scan.id_reused' AND target_id = @id",
            ("id", scanId.ToString())));
    }

    [Fact]
    public async Task AReusedScanId_IsRefused_AlsoWhenTheFirstVerdictIsReadBackFromTheLog()
    {
        // A deny answered for an unknown UID is not kept in memory (its grain deactivates): the
        // repeat of its id by a registered wristband meets the log's unique index, not the cache.
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow());
        var scanId = Guid.NewGuid();
        var unknown = await g.ScanAsync("GHOST" + g.Event.Id.ToString("N")[..8], scanId: scanId);
        Assert.Equal(ScanReasons.UnknownWristband, unknown.Reason);

        await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/events/{g.Event.Id}/scans", new { nfcId = g.Wristbands[0].NfcId, gateId = g.Main.Id, scanId }),
            HttpStatusCode.Conflict, "scan_id_reused");
        Assert.Equal(unknown, await g.ScanAsync("GHOST" + g.Event.Id.ToString("N")[..8], scanId: scanId));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM checkin_logs WHERE event_id = @e", ("e", g.Event.Id)));
    }
}
