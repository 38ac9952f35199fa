using System.Net;
using EventSeries.CheckIns;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Api;

/// <summary>
/// What a scanner sees when the cluster fails under a scan (issue 15: admitted scans answered 500):
/// every fault is a 503 with Retry-After and problem details, never a 500. Faults are injected by
/// <see cref="ScanFaults"/> in the wristband's grain.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ScanFaultTests(ScanFaultTests.Host fixture) : IClassFixture<ScanFaultTests.Host>
{
    public static TheoryData<string> ClusterFaults => [.. ScanFaults.ClusterFaults];

    [Theory]
    [MemberData(nameof(ClusterFaults))]
    public async Task AClusterFaultUnderAScan_Is503WithRetryAfter_NeverA500(string fault)
    {
        var g = await fixture.NewGateAsync();
        fixture.Faults.FailAlways(fault);

        // Without a scanId: tried once, so the answer is the fault's own mapping.
        var scan = await g.Client.PostAsync($"/api/events/{g.Event.Id}/scans", new { nfcId = g.Wristbands[0].NfcId, gateId = g.Main.Id });
        var verify = await g.Client.PostAsync($"/api/series/{g.Series.Id}/checkins/verify", new { nfcId = g.Wristbands[0].NfcId, gateId = g.Main.Id });

        foreach (var response in new[] { scan, verify })
        {
            await ApiClient.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(2, fixture.Faults.Attempts);
        Assert.Equal(0, await LoggedAsync(g));
    }

    private Task<long> LoggedAsync(GateScenario g) =>
        Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM checkin_logs WHERE event_id = @e", ("e", g.Event.Id));

    /// <summary>One silo with the API and <see cref="ScanFaults"/>, and an organization.</summary>
    public sealed class Host(PostgresServer postgres) : IAsyncLifetime
    {
        private ApiHost? _host;
        private ApiClient? _client;

        public ScanFaults Faults { get; } = new();

        public string ConnectionString => _host!.ConnectionString;

        public async ValueTask InitializeAsync()
        {
            _host = await ApiHost.StartAsync(
                await postgres.CreateDatabaseAsync(),
                services: s => s.AddSingleton<IIncomingGrainCallFilter>(Faults));
            _client = _host.Client((await Tenant.BootstrapAsync(_host.ConnectionString)).Token);
        }

        /// <summary>A new event with an active series; faults are off while it is set up.</summary>
        public async Task<GateScenario> NewGateAsync()
        {
            Faults.Reset();
            return await GateScenario.CreateAsync(_client!, _host!.Clock.GetUtcNow());
        }

        public async ValueTask DisposeAsync()
        {
            Faults.Reset();
            _client?.Dispose();
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
