using EventSeries.Api.Hosting;
using EventSeries.Api.Scans;
using EventSeries.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace EventSeries.Tests.Api;

/// <summary>
/// Guards the gate system's failure detection and timeouts (docs/operations.md): a silo that stops
/// answering probes is voted dead in seconds, not a minute; no grain call waits 30 s; the scan
/// deadline is shorter than the response timeout, so the API answers first.
/// </summary>
public sealed class ClusterTimeoutTests(PostgresServer postgres)
{
    [Fact]
    [Trait("Category", "Postgres")]
    public async Task ARunningSilo_ProbesEverySecond_AndWaitsFiveSecondsForAnAnswer()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var services = host.App.Services;

        var membership = services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), membership.MaxProbeTimeout);
        Assert.Equal(new ClusterMembershipOptions().NumVotesForDeathDeclaration, membership.NumVotesForDeathDeclaration);
        Assert.Equal(new ClusterMembershipOptions().NumMissedProbesLimit, membership.NumMissedProbesLimit);

        var messaging = services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(5), messaging.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), messaging.SystemResponseTimeout);

        var scans = services.GetRequiredService<IOptions<ScanOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2.5), scans.Deadline);
        Assert.True(scans.Deadline < messaging.ResponseTimeout);
    }

    [Fact]
    public async Task TheApiAlone_WaitsFiveSecondsForAnAnswer()
    {
        await using var api = ClientHost.Build([], Settings());

        var messaging = api.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), messaging.ResponseTimeout);
        Assert.True(api.Services.GetRequiredService<IOptions<ScanOptions>>().Value.Deadline < messaging.ResponseTimeout);
    }

    [Fact]
    public async Task EveryTimeout_CanBeSetInConfiguration()
    {
        var settings = Settings();
        settings["Orleans:Membership:ProbeTimeout"] = "00:00:02";
        settings["Orleans:Membership:MaxProbeTimeout"] = "00:00:04";
        settings["Orleans:Membership:NumVotesForDeathDeclaration"] = "3";
        settings["Orleans:Messaging:ResponseTimeout"] = "00:00:08";
        settings["Orleans:Messaging:SystemResponseTimeout"] = "00:00:09";
        settings["EventSeries:Scans:Deadline"] = "00:00:02";
        await using var silo = SiloHost.Build([], settings);
        await using var api = ClientHost.Build([], settings);

        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var messaging = silo.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
        Assert.Equal((2, 4, 3), (membership.ProbeTimeout.TotalSeconds, membership.MaxProbeTimeout.TotalSeconds, membership.NumVotesForDeathDeclaration));
        Assert.Equal((8, 9), (messaging.ResponseTimeout.TotalSeconds, messaging.SystemResponseTimeout.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(8), api.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), api.Services.GetRequiredService<IOptions<ScanOptions>>().Value.Deadline);
    }

    // Never connected to: these hosts are built, not started.
    private static Dictionary<string, string?> Settings() => new()
    {
        ["ConnectionStrings:EventSeries"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
        ["urls"] = "http://127.0.0.1:0",
    };
}
