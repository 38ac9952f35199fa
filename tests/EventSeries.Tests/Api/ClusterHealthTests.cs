using System.Net;
using EventSeries.Api.Contracts;
using EventSeries.Grains.Health;
using EventSeries.Organizations;
using EventSeries.Devices;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Api;

/// <summary>
/// The console's cluster health: every silo with its status, load and check-in log latency, for the
/// owners and admins of the operators' organization only (it shows the whole installation).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ClusterHealthTests(PostgresServer postgres)
{
    [Fact]
    public async Task TheOperatorsAdmins_SeeEverySilo_ItsLoad_AndItsLogWritersLastMinute()
    {
        await using var system = await OperatorsHost.StartAsync(postgres);
        var (host, operators, customer) = system;
        using var owner = host.Client(operators.Token);
        var gates = await GateScenario.CreateAsync(owner, host.Clock.GetUtcNow());
        Assert.True((await gates.ScanAsync(gates.Wristbands[0].NfcId)).Allowed);
        await host.App.Services.GetRequiredService<SiloHealthReporter>().ReportAsync(TestContext.Current.CancellationToken);

        var health = await owner.GetOkAsync<ClusterHealthView>("/api/cluster/health");

        Assert.Equal(1, health.ActiveSilos);
        var silo = Assert.Single(health.Silos, s => s.Status == "active");
        Assert.True(silo.Activations > 0, $"activations {silo.Activations}");
        Assert.True(silo.MemoryUsageBytes > 0);
        Assert.NotNull(silo.LogWriter);
        Assert.True(silo.LogWriter.Rows >= 1, $"rows {silo.LogWriter.Rows}");
        Assert.True(silo.LogWriter.Batches >= 1);
        Assert.NotNull(silo.LogWriter.CommitP99Ms);
        Assert.True(silo.LogWriter.CommitP50Ms <= silo.LogWriter.CommitP99Ms);

        // An admin of the operators sees it; a member of the operators, and another organization's owner, do not.
        var admin = await owner.PostOkAsync<MemberView>($"/api/organizations/{operators.OrganizationId}/members", new { displayName = "Ops Admin", role = "admin" });
        var adminToken = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{operators.OrganizationId}/members/{admin.UserId}/tokens", new { });
        using var asAdmin = host.Client(adminToken.Secret);
        Assert.Equal(HttpStatusCode.OK, (await asAdmin.GetAsync("/api/cluster/health")).StatusCode);

        var member = await owner.PostOkAsync<MemberView>($"/api/organizations/{operators.OrganizationId}/members", new { displayName = "Ops Member", role = "member" });
        var memberToken = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{operators.OrganizationId}/members/{member.UserId}/tokens", new { });
        using var asMember = host.Client(memberToken.Secret);
        await ApiClient.ProblemAsync(await asMember.GetAsync("/api/cluster/health"), HttpStatusCode.Forbidden);

        using var asCustomer = host.Client(customer.Token);
        await ApiClient.ProblemAsync(await asCustomer.GetAsync("/api/cluster/health"), HttpStatusCode.Forbidden);

        var device = await owner.PostOkAsync<IssuedDevice>($"/api/events/{gates.Event.Id}/devices", new { name = "Handheld" });
        using var asDevice = host.Client(device.Token);
        Assert.True((await asDevice.GetAsync("/api/cluster/health")).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WithoutTheOperatorsOrganization_ThereIsNoClusterHealth()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var owner = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(owner.Token);

        await ApiClient.ProblemAsync(await client.GetAsync("/api/cluster/health"), HttpStatusCode.NotFound);
    }
}
